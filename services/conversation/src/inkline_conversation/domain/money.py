"""Money in integer minor units and its display form."""

from __future__ import annotations

from dataclasses import dataclass

SYMBOLS: dict[str, str] = {
    "GBP": "£",
    "EUR": "€",
    "USD": "$",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
    "JPY": "¥",
}
# ISO 4217 exponents that differ from the usual two decimal places.
_EXPONENTS: dict[str, int] = {"JPY": 0, "KRW": 0, "ISK": 0}


def minor_exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has."""
    return _EXPONENTS.get(currency.upper(), 2)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units with its ISO 4217 currency."""

    minor: int
    currency: str


def format_money(money: Money) -> str:
    """Render "£800" or "€1,250.50": one symbol, thousands separators, decimals only when needed."""
    exponent = minor_exponent(money.currency)
    factor = 10**exponent
    whole, fraction = divmod(abs(money.minor), factor)
    digits = f"{whole:,}"
    if fraction:
        digits += f".{fraction:0{exponent}d}"
    sign = "-" if money.minor < 0 else ""
    symbol = SYMBOLS.get(money.currency.upper())
    if symbol is None:
        return f"{sign}{digits} {money.currency.upper()}"
    return f"{sign}{symbol}{digits}"
