"""Lead, booking, deposit and campaign events become pending spreadsheet rows (written by the flusher)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConfirmed
from inkline_contracts.events.campaign import CampaignMetrics
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid, DepositRefunded
from inkline_contracts.events.hold import HoldPlaced
from inkline_contracts.events.lead import LeadCreated, LeadQualified, LeadStatusChanged
from inkline_notifier.db.models import SheetRow
from inkline_notifier.domain import sheet_rows as rows
from inkline_platform.uow import UnitOfWork


async def upsert_row(
    uow: UnitOfWork, *, sheet: str, key: str, updates: Mapping[str, str], at: datetime
) -> None:
    """Merge `updates` into the row and mark it for the next flush."""
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
    merged = rows.merge(rows.RowState(row.values, row.stamps), updates, at=at)
    key_column = rows.COLUMNS[sheet][0]
    await uow.session.execute(
        update(SheetRow)
        .where(SheetRow.sheet == sheet, SheetRow.key == key)
        .values(values={**merged.values, key_column: key}, stamps=merged.stamps, version=SheetRow.version + 1)
    )


async def on_lead_created(uow: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Starts the lead's row: when, who (masked number) and which campaign brought them."""
    lead = envelope.payload
    updates = {
        "created": envelope.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
        "phone": rows.mask_phone(lead.wa_id),
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


async def on_hold_placed(uow: UnitOfWork, envelope: Envelope[HoldPlaced]) -> None:
    """Shows the slot the lead is holding."""
    hold = envelope.payload
    updates = {"slot": rows.slot(hold.range) + " (held)"}
    await upsert_row(uow, sheet=rows.LEADS, key=str(hold.lead_id), updates=updates, at=envelope.occurred_at)


async def on_booking_confirmed(uow: UnitOfWork, envelope: Envelope[BookingConfirmed]) -> None:
    """Shows the booked slot."""
    booking = envelope.payload
    updates = {"slot": rows.slot(booking.range)}
    await upsert_row(
        uow, sheet=rows.LEADS, key=str(booking.lead_id), updates=updates, at=envelope.occurred_at
    )


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
