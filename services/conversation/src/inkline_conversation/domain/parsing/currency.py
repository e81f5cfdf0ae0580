"""Which currency a client names: ISO codes, symbols and names from CLDR (via babel), plus spoken slang.

A marker that several currencies share ("kr" is Swedish, Norwegian and Danish; "pesos" half a continent)
is reported as ambiguous so the client is asked, never silently read as the artist's currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, list_currencies

from inkline_conversation.domain.parsing.text import without_accents

# The languages clients write in, and the neighbours whose currencies they name most.
_LOCALES = (
    "en", "en_US", "en_AU", "en_CA", "es", "es_MX", "pt", "pt_PT", "de", "de_CH", "fr", "fr_CH", "it",
    "sv", "nb", "da", "pl", "cs", "hu",
)  # fmt: skip
# What people say that CLDR does not list: slang, short plurals, words for a currency in passing.
_SPOKEN: dict[str, str] = {
    "quid": "GBP",
    "squid": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "livres": "GBP",
    "libras": "GBP",
    "sterline": "GBP",
    "pfund": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "pavos": "EUR",
    "pelas": "EUR",
    "paus": "EUR",
    "balles": "EUR",
    "stutz": "CHF",
    "stutzen": "CHF",
    "franken": "CHF",
    "reais": "BRL",
    "conto": "BRL",
    "kronor": "SEK",
    "zloty": "PLN",
    "zlotys": "PLN",
    "zlotych": "PLN",
    "zl": "PLN",
    "francs": "CHF",
    "franc": "CHF",
    "franchi": "CHF",
    "francos": "CHF",
}
# Spoken words several currencies share: the client is asked which one.
_SHARED: dict[str, frozenset[str]] = {
    word: frozenset(codes)
    for words, codes in (
        (("pesos", "peso"), ("MXN", "ARS", "COP", "CLP", "UYU")),
        (
            ("kroner", "kronen", "kronur", "coroas", "couronnes", "corone", "coronas", "crowns"),
            ("SEK", "NOK", "DKK", "CZK", "ISK"),
        ),
    )
    for word in words
}
# Dollars: the artist's own dollar when they price in one, else US dollars (see budget.py).
DOLLAR = "$"
_DOLLAR_WORDS = ("$", "dollar", "dollars", "bucks", "dolar", "dolares", "dollari", "dollaro")
# Lower-case ISO codes that are also everyday words stay unread unless written in capitals ("ALL", "TOP").
_LOWERCASE_CODES = frozenset(
    {"gbp", "eur", "usd", "chf", "sek", "nok", "dkk", "pln", "brl", "aud", "cad", "nzd", "mxn", "czk", "huf"}
)


@dataclass(frozen=True, slots=True)
class AmbiguousCurrency:
    """The client named a currency, but the marker fits several."""

    marker: str
    candidates: frozenset[str]


def fold(text: str) -> str:
    """Lower case without accents, so "złoty", "Reais" and "reais" compare equal."""
    return without_accents(text.casefold())


@cache
def _markers() -> dict[str, frozenset[str]]:
    """Every folded marker (symbol or name) and the currencies it may mean."""
    found: dict[str, set[str]] = {}

    def add(marker: str, code: str) -> None:
        key = fold(marker).strip()
        if key and not key.isdigit():
            found.setdefault(key, set()).add(code)

    codes = list_currencies()
    for name in _LOCALES:
        locale = Locale.parse(name)
        for code, symbol in locale.currency_symbols.items():
            if code in codes and symbol != code:
                add(symbol, code)
        for code in codes:
            for count in (1, 2):
                add(get_currency_name(code, count=count, locale=locale), code)
    for marker, code in _SPOKEN.items():
        found[fold(marker)] = {code}
    for marker, shared in _SHARED.items():
        found[fold(marker)] = set(shared)
    for marker in _DOLLAR_WORDS:
        found[fold(marker)] = {DOLLAR}
    found["£"] = {"GBP"}  # other pounds (EGP, GIP…) write their own code
    return {marker: frozenset(codes) for marker, codes in found.items()}


@cache
def _marker_pattern() -> re.Pattern[str]:
    markers = sorted(_markers(), key=len, reverse=True)
    alternatives = "|".join(re.escape(marker) for marker in markers)
    # Word-like markers need word edges ("real" is not inside "really"); symbols may touch the digits.
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])")


def find_currency(text: str) -> str | AmbiguousCurrency | None:
    """The currency the text names (DOLLAR for a bare dollar), an ambiguity, or None when it names none."""
    for code in re.findall(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])", text):
        if code in list_currencies():
            return str(code)
    folded = fold(text)
    for code in re.findall(r"(?<![a-z])([a-z]{3})(?![a-z])", folded):
        if code in _LOWERCASE_CODES:
            return str(code).upper()
    for match in _marker_pattern().finditer(folded):
        candidates = _markers()[match.group(0)]
        if len(candidates) == 1:
            return next(iter(candidates))
        if DOLLAR not in candidates:
            return AmbiguousCurrency(marker=match.group(0), candidates=candidates)
        return DOLLAR
    return None
