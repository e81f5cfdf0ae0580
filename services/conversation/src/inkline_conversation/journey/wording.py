"""How dates, slots and money read in a chat message, in the artist's timezone."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from inkline_contracts.base import Money as ContractMoney
from inkline_conversation.domain.money import Money, format_money


def format_day_range(first: date, last: date) -> str:
    """ "3-5 Apr", "30 Mar-2 Apr" or "14 Mar"."""
    if first == last:
        return f"{first.day} {first:%b}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%b}"
    return f"{first.day} {first:%b}-{last.day} {last:%b}"


def format_slot(start: datetime, end: datetime, tz: tzinfo) -> str:
    """ "Fri 14 Mar, 14:00-18:00" in the artist's local time."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = f"{local_start:%a} {local_start.day} {local_start:%b}"
    if local_end.date() != local_start.date():
        return f"{day}, {local_start:%H:%M}"
    return f"{day}, {local_start:%H:%M}-{local_end:%H:%M}"


def slot_title(start: datetime, tz: tzinfo) -> str:
    """A list row title; WhatsApp allows 24 characters."""
    local = start.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def money(value: ContractMoney) -> Money:
    return Money(minor=value.amount_minor, currency=value.currency)


def format_budget(low: ContractMoney, high: ContractMoney) -> str:
    if low.amount_minor == high.amount_minor:
        return format_money(money(high))
    return f"{format_money(money(low))}-{format_money(money(high))}"


def format_money_contract(value: ContractMoney) -> str:
    return format_money(money(value))
