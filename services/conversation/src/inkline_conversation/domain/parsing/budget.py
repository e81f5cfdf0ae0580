"""Budget answers ("£400", "400-500 quid", "1.2k", "max 800") as a range in minor units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from text_to_num import alpha2digit

from inkline_contracts.languages import LANGUAGES
from inkline_conversation.domain.money import minor_exponent
from inkline_conversation.domain.parsing.currency import DOLLAR, AmbiguousCurrency, find_currency
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import normalise

HINT = "repair.budget"
_DOLLAR_FAMILY = frozenset({"USD", "AUD", "CAD", "NZD"})

_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+(?:[.,]\d{1,2})?(?![\d])|\.\d+)"
    r"\s*(k|grand|thousand|hundred)?(?:ish)?(?![a-z])"
)
_SIZE_OR_ORDINAL = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?(?:cm|mm|inch(?:es)?|in(?![a-z])|st|nd|rd|th|am|pm)(?![a-z])"
    r"|\d{1,2}[/:]\d{1,2}"
)
_UPPER_BOUND = re.compile(
    r"(?<![a-z])(max|maximum|up to|upto|under|below|less than|no more than|not more than|at most|"
    r"tops|cap|capped at|budget is under"
    # es, pt, fr, it, de
    r"|m[aá]ximo|como m[aá]ximo|no m[aá]s de|hasta|menos de|at[eé]|no m[aá]ximo|n[aã]o mais (?:de|que)"
    r"|pas plus de|au maximum|jusqu'[aà]|moins de|massimo|al massimo|non pi[uù] di|fino a|meno di|sotto i"
    r"|maximal|h[oö]chstens|bis zu|nicht mehr als|unter)(?![a-z])"
)
# What may sit between the two figures of a range: a dash or a word for "to"/"and", and currency marks.
_CURRENCY_MARK = r"(?:[£€$]|[a-z]{1,2}\$|[a-z]{3,9})?"
_RANGE_JOINER = re.compile(
    rf"^\s*{_CURRENCY_MARK}\s*(?:-|/|to|and|or|till|until|y|e|et|und|bis|a|à|ai|al|alle|hasta|até|zu|oder|ou|o)"
    rf"\s*{_CURRENCY_MARK}\s*$"
)
# "1 000 €": a space (or a no-break space) as the thousands separator.
# Only after one or two digits: "300 400" is two figures, not 300,400.
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,2})[ \u00a0\u202f](\d{3})(?![\d.,]|\s\d)")
_NUMBER_WORD_LANGUAGES = LANGUAGES
_MULTIPLIERS = {"k": 1000, "grand": 1000, "thousand": 1000, "hundred": 100}


@dataclass(frozen=True, slots=True)
class BudgetRange:
    """What the client is willing to spend; min equals max for a single figure, min is 0 for "max X"."""

    min_minor: int
    max_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    multiplier: int
    start: int
    end: int


def _stated_currency(text: str, *, artist_currency: str) -> str | AmbiguousCurrency | None:
    found = find_currency(text)
    if found == DOLLAR:
        return artist_currency if artist_currency in _DOLLAR_FAMILY else "USD"
    return found


def _numbers_from_words(text: str) -> str:
    """ "four hundred", "trecento", "vierhundert" as digits, in the first language that reads any."""
    for language in _NUMBER_WORD_LANGUAGES:
        converted = alpha2digit(text, language)
        if converted != text and re.search(r"\d", converted):
            return _join_digit_groups(converted)
    return text


def _join_digit_groups(text: str) -> str:
    return _SPACED_THOUSANDS.sub(r"\1\2", text)


def _decimal(raw: str) -> Decimal:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        # "1,200" and the continental "1.200" are thousands; nobody budgets £1.20 for a tattoo.
        return Decimal(re.sub(r"[.,]", "", raw))
    return Decimal(raw.replace(",", "."))


def _amounts(text: str) -> list[_Amount]:
    masked = _SIZE_OR_ORDINAL.sub(lambda match: " " * len(match.group(0)), text)
    found: list[_Amount] = []
    for match in _AMOUNT.finditer(masked):
        suffix = match.group(2)
        found.append(
            _Amount(
                value=_decimal(match.group(1)),
                multiplier=_MULTIPLIERS[suffix] if suffix else 1,
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def _to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** minor_exponent(currency))).to_integral_value())


def parse_budget(text: str, *, currency: str) -> BudgetRange | ParseFailure:
    """Parse a budget; amounts are in the artist's currency unless the client names another one."""
    cleaned = _join_digit_groups(normalise(text))
    artist_currency = currency.upper()
    stated = _stated_currency(text, artist_currency=artist_currency)
    if isinstance(stated, AmbiguousCurrency):
        # "1000 kr" is Swedish, Norwegian or Danish: asking beats a silent guess.
        return ParseFailure(reason="ambiguous_currency", hint_key=HINT)
    result_currency = stated or artist_currency
    amounts = _amounts(cleaned)
    if not amounts:
        cleaned = _numbers_from_words(cleaned)
        amounts = _amounts(cleaned)
    if not amounts:
        return ParseFailure(reason="no_amount", hint_key=HINT)
    first = amounts[0]
    second = amounts[1] if len(amounts) > 1 else None
    if second is not None and _RANGE_JOINER.match(cleaned[first.end : second.start]) is not None:
        first_multiplier = first.multiplier
        if (
            first.multiplier == 1
            and second.multiplier > 1
            and first.value * second.multiplier <= (second.value * second.multiplier)
        ):
            # "1-1.5k" means 1000-1500, the suffix is shared across the range.
            first_multiplier = second.multiplier
        if first_multiplier == 1 and first.value < 10 and second.value >= 100 and second.value % 100 == 0:
            first_multiplier = 100  # "2-300" is said for 200-300
        low = _to_minor(first.value * first_multiplier, result_currency)
        high = _to_minor(second.value * second.multiplier, result_currency)
        low, high = min(low, high), max(low, high)
    else:
        value = _to_minor(first.value * first.multiplier, result_currency)
        before = cleaned[: first.start]
        after = cleaned[first.end :]
        if _UPPER_BOUND.search(before) or re.match(r"\s*(?:[a-z£€$]+\s*)?(tops|max)(?![a-z])", after):
            low, high = 0, value
        else:
            low, high = value, value
    if high <= 0:
        return ParseFailure(reason="zero", hint_key=HINT)
    return BudgetRange(min_minor=low, max_minor=high, currency=result_currency)
