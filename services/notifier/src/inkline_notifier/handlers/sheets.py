"""Lead, deposit and campaign events become pending spreadsheet rows (written by the flusher)."""

from __future__ import annotations

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.campaign import CampaignMetrics
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid, DepositRefunded
from inkline_contracts.events.lead import (
    ClientIdentityChanged,
    HandoverRequested,
    LeadCreated,
    LeadLanguageSet,
    LeadQualified,
    LeadStatusChanged,
)
from inkline_notifier.db.sheet_rows import lead_rows_of, upsert_row
from inkline_notifier.domain import sheet_rows as rows
from inkline_platform.uow import UnitOfWork


async def start_lead_row(work: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Starts the lead's row: when, who (their full number: the sheet is the artist's own record) and
    which campaign brought them."""
    lead = envelope.payload
    client = lead.client
    updates = {
        "created": envelope.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
        rows.ADDRESS: lead.wa_id,
        "phone": rows.client_cell(
            lead.wa_id,
            phone_number=client.phone if client else None,
            username=client.username if client else None,
        ),
    }
    if lead.profile_name:
        updates["name"] = lead.profile_name
    if lead.source_campaign_tag:
        updates["campaign_tags"] = lead.source_campaign_tag
    await upsert_row(
        work.session, sheet=rows.LEADS, key=str(lead.lead_id), updates=updates, at=envelope.occurred_at
    )


class LeadRowsIdentityChangedHandler:
    """A client who changed number (or username) shows the new one on each of their Leads rows."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientIdentityChanged]) -> None:
        change = envelope.payload
        cell = rows.client_cell(
            change.wa_id, phone_number=change.client.phone, username=change.client.username
        )
        for key in await lead_rows_of(work.session, change.wa_id):
            await upsert_row(
                work.session, sheet=rows.LEADS, key=key, updates={"phone": cell}, at=envelope.occurred_at
            )


class LeadQualifiedHandler:
    """Fills in the consultation's answers."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadQualified]) -> None:
        lead = envelope.payload
        updates = {
            "city": lead.city,
            "idea": lead.idea,
            "placement": lead.placement,
            "size": rows.size(lead.size_cm, lead.size_category.value),
            "style": lead.style or "",
            "budget": rows.budget(lead.budget_min, lead.budget_max),
        }
        await upsert_row(
            work.session, sheet=rows.LEADS, key=str(lead.lead_id), updates=updates, at=envelope.occurred_at
        )


class LeadStatusChangedHandler:
    """Keeps the lead's status column current."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadStatusChanged]) -> None:
        lead = envelope.payload
        await upsert_row(
            work.session,
            sheet=rows.LEADS,
            key=str(lead.lead_id),
            updates={"status": lead.to_status},
            at=envelope.occurred_at,
        )


class LeadLanguageSetHandler:
    """Shows the language the client is answered in: the artist replies in it after a handover."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadLanguageSet]) -> None:
        lead = envelope.payload
        await upsert_row(
            work.session,
            sheet=rows.LEADS,
            key=str(lead.lead_id),
            updates={"language": rows.language_name(lead.language)},
            at=envelope.occurred_at,
        )


class HandoverRequestedHandler:
    """Fills in the answers given before the bot stepped back, so the artist's row is not blank."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[HandoverRequested]) -> None:
        handover = envelope.payload
        updates = {
            column: value for column, value in handover.answers.items() if column in rows.HANDOVER_COLUMNS
        }
        if updates:
            await upsert_row(
                work.session,
                sheet=rows.LEADS,
                key=str(handover.lead_id),
                updates=updates,
                at=envelope.occurred_at,
            )


class DepositLinkCreatedHandler:
    """Shows the deposit asked for."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositLinkCreated]) -> None:
        deposit = envelope.payload
        updates = {"deposit": f"{rows.money(deposit.amount)} requested"}
        await upsert_row(
            work.session, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
        )


class DepositPaidHandler:
    """Shows the deposit paid."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositPaid]) -> None:
        deposit = envelope.payload
        updates = {"deposit": f"{rows.money(deposit.amount)} paid"}
        await upsert_row(
            work.session, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
        )


class DepositRefundedHandler:
    """Shows the deposit refunded."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositRefunded]) -> None:
        deposit = envelope.payload
        updates = {"deposit": f"{rows.money(deposit.amount)} refunded"}
        await upsert_row(
            work.session, sheet=rows.LEADS, key=str(deposit.lead_id), updates=updates, at=envelope.occurred_at
        )


class CampaignMetricsHandler:
    """Mirrors a campaign's running totals into its Campaigns row."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[CampaignMetrics]) -> None:
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
            work.session,
            sheet=rows.CAMPAIGNS,
            key=str(metrics.campaign_id),
            updates=updates,
            at=envelope.occurred_at,
        )
