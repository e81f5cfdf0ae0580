"""Lead, booking, deposit and campaign events become pending spreadsheet rows (written by the flusher)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts.base import TimeRange
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConfirmed, BookingMoved
from inkline_contracts.events.campaign import CampaignMetrics
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid, DepositRefunded
from inkline_contracts.events.hold import HoldExpired, HoldPlaced, HoldReleased
from inkline_contracts.events.lead import HandoverRequested, LeadCreated, LeadQualified, LeadStatusChanged
from inkline_notifier.db.models import SheetRow
from inkline_notifier.domain import sheet_rows as rows
from inkline_platform.uow import UnitOfWork


async def upsert_row(
    uow: UnitOfWork,
    *,
    sheet: str,
    key: str,
    updates: Mapping[str, str],
    at: datetime,
    only_if: Mapping[str, str] | None = None,
) -> None:
    """Merge `updates` into the row and mark it for the next flush; with `only_if`, only while the row
    holds those values (an event about an older hold must not touch the current one)."""
    await uow.session.execute(
        insert(SheetRow)
        .values(sheet=sheet, key=key, values={}, stamps={}, version=0)
        .on_conflict_do_nothing(index_elements=["sheet", "key"])
    )
    row = (
        await uow.session.execute(
            select(SheetRow).where(SheetRow.sheet == sheet, SheetRow.key == key).with_for_update()
        )
    ).scalar_one()
    if only_if is not None and any(row.values.get(field) != value for field, value in only_if.items()):
        return
    merged = rows.merge(rows.RowState(row.values, row.stamps), updates, at=at)
    values = rows.with_slot(merged.values) if sheet == rows.LEADS else merged.values
    key_column = rows.COLUMNS[sheet][0]
    await uow.session.execute(
        update(SheetRow)
        .where(SheetRow.sheet == sheet, SheetRow.key == key)
        .values(values={**values, key_column: key}, stamps=merged.stamps, version=SheetRow.version + 1)
    )


async def on_lead_created(uow: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Starts the lead's row: when, who (their full number: the sheet is the artist's own record) and
    which campaign brought them."""
    lead = envelope.payload
    updates = {
        "created": envelope.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
        "phone": rows.phone(lead.wa_id),
    }
    if lead.profile_name:
        updates["name"] = lead.profile_name
    if lead.source_campaign_tag:
        updates["campaign_tags"] = lead.source_campaign_tag
    await upsert_row(uow, sheet=rows.LEADS, key=str(lead.lead_id), updates=updates, at=envelope.occurred_at)


async def on_lead_qualified(uow: UnitOfWork, envelope: Envelope[LeadQualified]) -> None:
    """Fills in the consultation's answers."""
    lead = envelope.payload
    updates = {
        "city": lead.city,
        "idea": lead.idea,
        "placement": lead.placement,
        "size": rows.size(lead.size_cm, lead.size_category.value),
        "style": lead.style or "",
        "budget": rows.budget(lead.budget_min, lead.budget_max),
    }
    await upsert_row(uow, sheet=rows.LEADS, key=str(lead.lead_id), updates=updates, at=envelope.occurred_at)


async def on_lead_status_changed(uow: UnitOfWork, envelope: Envelope[LeadStatusChanged]) -> None:
    """Keeps the lead's status column current."""
    lead = envelope.payload
    await upsert_row(
        uow,
        sheet=rows.LEADS,
        key=str(lead.lead_id),
        updates={"status": lead.to_status},
        at=envelope.occurred_at,
    )


async def on_handover_requested(uow: UnitOfWork, envelope: Envelope[HandoverRequested]) -> None:
    """Fills in the answers given before the bot stepped back, so the artist's row is not blank."""
    handover = envelope.payload
    updates = {column: value for column, value in handover.answers.items() if column in rows.HANDOVER_COLUMNS}
    if updates:
        await upsert_row(
            uow, sheet=rows.LEADS, key=str(handover.lead_id), updates=updates, at=envelope.occurred_at
        )


@dataclass(frozen=True)
class LeadSlots:
    """The `slot` column: the slot held, then booked, then moved, on the session's clock (the artist's
    own when an event does not say)."""

    zone: ZoneInfo

    def _slot(self, period: TimeRange, timezone: str | None) -> str:
        zone = self.zone
        # A zone this machine does not know: the artist's clock beats a dead-lettered row.
        with suppress(ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(timezone) if timezone else self.zone
        return rows.slot(period, zone)

    async def on_hold_placed(self, uow: UnitOfWork, envelope: Envelope[HoldPlaced]) -> None:
        """Shows the slot the lead is holding."""
        hold = envelope.payload
        updates = {rows.HELD: self._slot(hold.range, hold.timezone), rows.HOLD_ID: str(hold.hold_id)}
        await upsert_row(
            uow, sheet=rows.LEADS, key=str(hold.lead_id), updates=updates, at=envelope.occurred_at
        )

    async def on_hold_expired(self, uow: UnitOfWork, envelope: Envelope[HoldExpired]) -> None:
        """A lapsed hold no longer shows as held."""
        await self._hold_ended(
            uow, envelope, lead_id=envelope.payload.lead_id, hold_id=envelope.payload.hold_id
        )

    async def on_hold_released(self, uow: UnitOfWork, envelope: Envelope[HoldReleased]) -> None:
        """A released hold no longer shows as held."""
        await self._hold_ended(
            uow, envelope, lead_id=envelope.payload.lead_id, hold_id=envelope.payload.hold_id
        )

    async def _hold_ended(
        self, uow: UnitOfWork, envelope: Envelope[Any], *, lead_id: uuid.UUID, hold_id: uuid.UUID
    ) -> None:
        await upsert_row(
            uow,
            sheet=rows.LEADS,
            key=str(lead_id),
            updates={rows.HELD: ""},
            at=envelope.occurred_at,
            only_if={rows.HOLD_ID: str(hold_id)},
        )

    async def on_booking_confirmed(self, uow: UnitOfWork, envelope: Envelope[BookingConfirmed]) -> None:
        """Shows the booked slot."""
        booking = envelope.payload
        await self._booked(
            uow,
            envelope,
            lead_id=booking.lead_id,
            hold_id=booking.hold_id,
            slot=self._slot(booking.range, booking.timezone),
        )

    async def on_booking_moved(self, uow: UnitOfWork, envelope: Envelope[BookingMoved]) -> None:
        """Shows the slot the booking moved to."""
        moved = envelope.payload
        await self._booked(
            uow,
            envelope,
            lead_id=moved.lead_id,
            hold_id=moved.hold_id,
            slot=self._slot(moved.range, moved.timezone),
        )

    async def _booked(
        self, uow: UnitOfWork, envelope: Envelope[Any], *, lead_id: uuid.UUID, hold_id: uuid.UUID, slot: str
    ) -> None:
        # The hold the booking was made from is used up; a newer one (a move under way) stays shown.
        updates = {rows.BOOKED: slot, rows.BOOKED_HOLD: str(hold_id)}
        await upsert_row(uow, sheet=rows.LEADS, key=str(lead_id), updates=updates, at=envelope.occurred_at)


async def on_deposit_link_created(uow: UnitOfWork, envelope: Envelope[DepositLinkCreated]) -> None:
    """Shows the deposit asked for."""
    deposit = envelope.payload
    updates = {"deposit": f"{rows.money(deposit.amount)} requested"}
    await upsert_row(
        uow, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
    )


async def on_deposit_paid(uow: UnitOfWork, envelope: Envelope[DepositPaid]) -> None:
    """Shows the deposit paid."""
    deposit = envelope.payload
    updates = {"deposit": f"{rows.money(deposit.amount)} paid"}
    await upsert_row(
        uow, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
    )


async def on_deposit_refunded(uow: UnitOfWork, envelope: Envelope[DepositRefunded]) -> None:
    """Shows the deposit refunded."""
    deposit = envelope.payload
    updates = {"deposit": f"{rows.money(deposit.amount)} refunded"}
    await upsert_row(
        uow, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
    )


async def on_campaign_metrics(uow: UnitOfWork, envelope: Envelope[CampaignMetrics]) -> None:
    """Mirrors a campaign's running totals into its Campaigns row."""
    metrics = envelope.payload
    updates = {
        "tag": metrics.tag,
        "name": metrics.name,
        "sent": str(metrics.sent),
        "delivered": str(metrics.delivered),
        "read": str(metrics.read),
        "failed": str(metrics.failed),
        "replied": str(metrics.replied),
        "opted_out": str(metrics.opted_out),
        "converted": str(metrics.converted),
        "revenue": rows.money(metrics.revenue) if metrics.revenue else "",
    }
    await upsert_row(
        uow, sheet=rows.CAMPAIGNS, key=str(metrics.campaign_id), updates=updates, at=envelope.occurred_at
    )
