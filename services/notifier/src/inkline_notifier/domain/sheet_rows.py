"""The rows Inkline keeps in the artist's spreadsheet, built field by field from events.

Events of one lead arrive on different subjects and so in no guaranteed order. Each field remembers when
the event that set it happened, and an older event never overwrites a newer value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import phonenumbers
from babel import Locale, UnknownLocaleError

from inkline_contracts.base import Money, TimeRange

LEADS = "Leads"
# The sheet's own words (its headers, statuses) are English: languages are named in English beside them.
SHEET_LOCALE = Locale("en")
CAMPAIGNS = "Campaigns"

LEAD_COLUMNS = (
    "lead_id",
    "created",
    "name",
    "phone",
    "city",
    "idea",
    "placement",
    "size",
    "style",
    "budget",
    "status",
    "slot",
    "deposit",
    "campaign_tags",
    "updated",
    # Last, so the columns of a sheet written before it stay where they were.
    "language",
)
CAMPAIGN_COLUMNS = (
    "campaign_id",
    "tag",
    "name",
    "sent",
    "delivered",
    "read",
    "failed",
    "replied",
    "opted_out",
    "converted",
    "revenue",
    "updated",
)
COLUMNS = {LEADS: LEAD_COLUMNS, CAMPAIGNS: CAMPAIGN_COLUMNS}

# The columns a handover fills from the answers given so far (HandoverRequested.answers).
HANDOVER_COLUMNS = frozenset({"city", "idea", "placement", "size", "style", "budget"})

# Kept in a Leads row beside its columns (never written to the sheet): the slot the lead holds and the one
# booked, and which hold is current, so the `slot` column can show the state the lead is in now.
HELD = "_held"
HOLD_ID = "_hold_id"
BOOKED = "_booked"
BOOKED_HOLD = "_booked_hold_id"
# The client's address (phone or business-scoped user ID), so a change of their number finds their rows.
ADDRESS = "_address"


@dataclass(frozen=True)
class RowState:
    """A row's values and, per field, the time of the event that set it (ISO 8601 strings, as stored)."""

    values: dict[str, str]
    stamps: dict[str, str]


def merge(row: RowState, updates: Mapping[str, str], *, at: datetime) -> RowState:
    """Apply `updates` from an event that happened `at`, keeping newer values already present."""
    values, stamps = dict(row.values), dict(row.stamps)
    stamp = at.astimezone(UTC).isoformat()
    for field, value in updates.items():
        if stamps.get(field, "") <= stamp:
            values[field] = value
            stamps[field] = stamp
    if stamps.get("updated", "") <= stamp:
        values["updated"] = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        stamps["updated"] = stamp
    return RowState(values, stamps)


def with_slot(values: Mapping[str, str]) -> dict[str, str]:
    """The `slot` column from the kept slots: a slot held (for a first booking or a move) shows as held,
    otherwise the booked one."""
    if HELD not in values and BOOKED not in values:
        return dict(values)  # a row written before the slots were kept: its column stays as it was
    held, booked = values.get(HELD, ""), values.get(BOOKED, "")
    if values.get(HOLD_ID) and values.get(HOLD_ID) == values.get(BOOKED_HOLD):
        # The hold became the booking; its own event may arrive after the booking's.
        held = ""
    shown = booked
    if held:
        shown = f"{booked}, moving to {held} (held)" if booked else f"{held} (held)"
    return {**values, "slot": shown}


def cells(sheet: str, row: Mapping[str, str]) -> list[str]:
    """The row in column order; the first cell is always its key."""
    return [row.get(column, "") for column in COLUMNS[sheet]]


def phone(wa_id: str) -> str:
    """The client's number in full, as a person dials it: the sheet is the artist's own record."""
    try:
        number = phonenumbers.parse(f"+{wa_id}")
    except phonenumbers.NumberParseException:
        return f"+{wa_id}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def client_cell(address: str, *, phone_number: str | None, username: str | None) -> str:
    """The phone column: the number when the client shared one (with their username, if any); a client
    known only by business-scoped user ID shows their username, else a masked ID (it opens no chat)."""
    number = phone_number or (address if address.isdigit() else None)
    handle = f"@{username.lstrip('@')}" if username else None
    if number is not None:
        return f"{phone(number)} ({handle})" if handle else phone(number)
    if handle:
        return handle
    country, _, rest = address.rpartition(".")
    return f"{country}.…{rest[-2:]}"


def language_name(code: str) -> str:
    """The language column: "Portuguese" for "pt", "Portuguese (Brazil)" for "pt-BR"; a code CLDR does
    not know is shown as it is."""
    try:
        name = Locale.parse(code.strip().replace("-", "_")).get_display_name(SHEET_LOCALE)
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name or code


def money(amount: Money) -> str:
    return f"{amount.amount_minor / 100:.2f} {amount.currency}"


def budget(low: Money, high: Money) -> str:
    if low == high:
        return money(low)
    if low.currency == high.currency:
        return f"{low.amount_minor / 100:.2f}-{high.amount_minor / 100:.2f} {low.currency}"
    return f"{money(low)} - {money(high)}"


def slot(period: TimeRange, zone: tzinfo) -> str:
    """On the clock of the place the session is in, as the artist reads their diary."""
    start, end = period.start.astimezone(zone), period.end.astimezone(zone)
    if start.date() == end.date():
        return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {start:%Z}"
    return f"{start:%a %Y-%m-%d %H:%M} - {end:%a %Y-%m-%d %H:%M} {end:%Z}"


def size(size_cm: tuple[float, float] | None, category: str) -> str:
    if size_cm is None:
        return category
    return f"{size_cm[0]:g}x{size_cm[1]:g} cm ({category})"
