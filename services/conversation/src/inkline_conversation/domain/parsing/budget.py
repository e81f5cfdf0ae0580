"""Budget answers ("£400", "400-500 quid", "1.2k", "max 800") as a range in minor units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from inkline_conversation.domain.money import minor_exponent
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import normalise

HINT = "repair.budget"
_DOLLAR_FAMILY = frozenset({"USD", "AUD", "CAD", "NZD"})

# Ordered so that "a$" wins over a bare "$" and "us$" over "$".
_CURRENCY_MARKERS: tuple[tuple[str, str], ...] = (
    (r"a\$|au\$|aud(?![a-z])|aussie dollars?", "AUD"),
    (r"c\$|ca\$|cad(?![a-z])|canadian dollars?", "CAD"),
    (r"nz\$|nzd(?![a-z])", "NZD"),
    (r"us\$|usd(?![a-z])|us dollars?", "USD"),
    (r"£|(?<![a-z])(?:gbp|quid|pounds?|squid)(?![a-z])", "GBP"),
    (r"€|(?<![a-z])(?:eur|euros?)(?![a-z])", "EUR"),
    (r"(?<![a-z])chf(?![a-z])|(?<![a-z])swiss francs?(?![a-z])", "CHF"),
    (r"\$|(?<![a-z])(?:dollars?|bucks)(?![a-z])", "$"),
)
_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+(?:[.,]\d{1,2})?(?![\d])|\.\d+)"
    r"\s*(k|grand|thousand|hundred)?(?![a-z])"
)
_SIZE_OR_ORDINAL = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?(?:cm|mm|inch(?:es)?|in(?![a-z])|st|nd|rd|th|am|pm|ish)(?![a-z])"
    r"|\d{1,2}[/:]\d{1,2}"
)
_UPPER_BOUND = re.compile(
    r"(?<![a-z])(max|maximum|up to|upto|under|below|less than|no more than|not more than|at most|"
    r"tops|cap|capped at|budget is under)(?![a-z])"
)
_RANGE_JOINER = re.compile(r"^\s*(?:-|to|and|or|/|till|until)\s*(?:[£€$]|a\$|us\$)?\s*$")
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


def _detect_currency(text: str, *, artist_currency: str) -> str | None:
    for pattern, currency in _CURRENCY_MARKERS:
        if re.search(pattern, text):
            if currency == "$":
                return artist_currency if artist_currency in _DOLLAR_FAMILY else "USD"
            return currency
    return None


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
    cleaned = normalise(text)
    artist_currency = currency.upper()
    stated = _detect_currency(cleaned, artist_currency=artist_currency)
    result_currency = stated or artist_currency
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
