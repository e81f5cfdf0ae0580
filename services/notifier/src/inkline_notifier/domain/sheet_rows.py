"""The rows Inkline keeps in the artist's spreadsheet, built field by field from events.

Events of one lead arrive on different subjects and so in no guaranteed order. Each field remembers when
the event that set it happened, and an older event never overwrites a newer value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from inkline_contracts.base import Money, TimeRange
from inkline_platform.logging import mask_phone_numbers

LEADS = "Leads"
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


def cells(sheet: str, row: Mapping[str, str]) -> list[str]:
    """The row in column order; the first cell is always its key."""
    return [row.get(column, "") for column in COLUMNS[sheet]]


def mask_phone(wa_id: str) -> str:
    """The same masking as the logs: enough to recognise a number, not enough to dial it."""
    return mask_phone_numbers(wa_id)


def money(amount: Money) -> str:
    return f"{amount.amount_minor / 100:.2f} {amount.currency}"


def budget(low: Money, high: Money) -> str:
    if low == high:
        return money(low)
    if low.currency == high.currency:
        return f"{low.amount_minor / 100:.2f}-{high.amount_minor / 100:.2f} {low.currency}"
    return f"{money(low)} - {money(high)}"


def slot(period: TimeRange) -> str:
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} UTC"
    return f"{start:%Y-%m-%d %H:%M} - {end:%Y-%m-%d %H:%M} UTC"


def size(size_cm: tuple[float, float] | None, category: str) -> str:
    if size_cm is None:
        return category
    return f"{size_cm[0]:g}x{size_cm[1]:g} cm ({category})"
