"""How money, dates and appointment times read inside a text, per language.

English keeps Inkline's own compact forms ("£800", "Sat 14 Mar, 14:00-18:00"), which the English
journey tests assert; the other languages follow CLDR through babel ("800 €", "Sa., 14. März"), so a
German client reads a German date and a Brazilian a Brazilian amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_interval, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal

from inkline_contracts.languages import DEFAULT_LANGUAGE, LOCALES
from inkline_conversation.domain.money import Money, format_money, minor_exponent


@dataclass(frozen=True, slots=True)
class SlotTime:
    """An appointment's start and end, already in the artist's local time."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class LocalFormats:
    """Money, dates and times as a client of `language` writes them."""

    language: str

    @property
    def locale(self) -> str:
        return LOCALES.get(self.language, LOCALES[DEFAULT_LANGUAGE])

    def money(self, money: Money) -> str:
        """ "£800" in English; "800 €", "R$ 1.250,50", "1 250,50 €" elsewhere; decimals only when needed."""
        if self.language == DEFAULT_LANGUAGE:
            return format_money(money)
        exponent = minor_exponent(money.currency)
        amount = Decimal(money.minor).scaleb(-exponent)
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        if money.minor % 10**exponent == 0:
            pattern = pattern.replace("0.00", "0")
        return format_currency(
            amount, money.currency.upper(), pattern, locale=self.locale, currency_digits=False
        )

    def day(self, day: date) -> str:
        """ "Sat 14 Mar", "sáb, 14 mar", "Sa., 14. März"."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    def day_range(self, first: date, last: date) -> str:
        """ "3-5 Apr" in English; elsewhere CLDR's interval forms with an en dash ("3.-5. März" in German)."""
        if self.language == DEFAULT_LANGUAGE:
            if first == last:
                return f"{first.day} {first:%b}"
            if (first.year, first.month) == (last.year, last.month):
                return f"{first.day}-{last.day} {last:%b}"
            return f"{first.day} {first:%b}-{last.day} {last:%b}"
        return format_interval(first, last, "MMMd", locale=self.locale)

    def number(self, value: float) -> str:
        """ "7.5" in English, "7,5" in German: a measurement as the client writes it."""
        return format_decimal(value, format="#,##0.#", locale=self.locale)

    def country(self, code: str) -> str:
        """A country's name in the language ("GB" → "United Kingdom", "Reino Unido"); the code if unknown."""
        name = Locale.parse(self.locale).territories.get(code.upper())
        return str(name) if name else code.upper()

    def moment(self, moment: datetime) -> str:
        """ "Sat 14 Mar, 14:00" in the moment's own timezone (the caller converts to the artist's)."""
        return f"{self.day(moment)}, {self._time(moment)}"

    def day_and_time(self, moment: datetime) -> str:
        """ "Sat 14 Mar 14:00": a list row's short title."""
        return f"{self.day(moment)} {self._time(moment)}"

    def slot(self, slot: SlotTime) -> str:
        """ "Sat 14 Mar, 14:00-18:00"; only the start when the session runs past midnight."""
        day = self.day(slot.start)
        if slot.end.date() != slot.start.date():
            return f"{day}, {self._time(slot.start)}"
        if self.language == DEFAULT_LANGUAGE:
            return f"{day}, {slot.start:%H:%M}-{slot.end:%H:%M}"
        return f"{day}, {format_interval(slot.start.time(), slot.end.time(), 'Hm', locale=self.locale)}"

    def _time(self, moment: datetime) -> str:
        return format_time(moment, "HH:mm", locale=self.locale)
