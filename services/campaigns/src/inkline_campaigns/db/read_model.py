"""The contact and lead read model as the event handlers change it: every statement tolerates any
arrival order (a later fact is never overwritten by an earlier one), so handlers only say what happened."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Contact, LeadView, Recipient


class ReadModel:
    """The contacts, leads and campaign recipients of one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _update_contact(self, wa_id: str, values: Mapping[Any, Any]) -> None:
        await self._session.execute(update(Contact).where(Contact.wa_id == wa_id).values(dict(values)))

    async def _update_lead(self, lead_id: uuid.UUID, values: Mapping[Any, Any]) -> None:
        await self._session.execute(update(LeadView).where(LeadView.lead_id == lead_id).values(dict(values)))

    async def lead_created(
        self,
        *,
        lead_id: uuid.UUID,
        wa_id: str,
        at: datetime,
        source_campaign_tag: str | None,
        profile_name: str | None,
        language: str | None,
    ) -> None:
        await self._update_lead(
            lead_id, {LeadView.source_campaign_tag: source_campaign_tag, LeadView.created_at: at}
        )
        values: dict[Any, Any] = {
            Contact.profile_name: func.coalesce(profile_name, Contact.profile_name),
            Contact.language: language,
        }
        if source_campaign_tag:
            values[Contact.tags] = func.array_append(
                func.array_remove(Contact.tags, source_campaign_tag), source_campaign_tag
            )
        await self._update_contact(wa_id, values)

    async def reached_milestones(self, lead_id: uuid.UUID, names: tuple[str, ...], at: datetime) -> None:
        """The lead reached these funnel stages by `at` (the first time counts)."""
        if names:
            await self._update_lead(
                lead_id,
                {getattr(LeadView, name): func.coalesce(getattr(LeadView, name), at) for name in names},
            )

    async def move_lead(self, *, lead_id: uuid.UUID, wa_id: str, status: str, at: datetime) -> bool:
        """The lead's status as of `at`; False when a newer change was applied already (a late arrival).
        The contact follows when this is their latest lead, or adopts it when they have none yet."""
        newer = await self._session.execute(
            update(LeadView)
            .where(
                LeadView.lead_id == lead_id,
                (LeadView.status_changed_at.is_(None)) | (LeadView.status_changed_at <= at),
            )
            .values(status=status, status_changed_at=at)
            .returning(LeadView.lead_id)
        )
        if newer.first() is None:
            return False
        await self._session.execute(
            update(Contact)
            .where(Contact.wa_id == wa_id, Contact.latest_lead_id == lead_id)
            .values(status=status)
        )
        # A status change can arrive before lead.created: the lead becomes the contact's latest if none is.
        await self._session.execute(
            update(Contact)
            .where(Contact.wa_id == wa_id, Contact.latest_lead_id.is_(None))
            .values(latest_lead_id=lead_id, status=status)
        )
        return True

    async def no_show(self, wa_id: str, at: datetime) -> None:
        await self._update_contact(wa_id, {Contact.no_show_at: func.least(Contact.no_show_at, at)})

    async def qualified(
        self,
        *,
        lead_id: uuid.UUID,
        wa_id: str,
        facts: Mapping[str, Any],
        budget_min_minor: int,
        timezone: str,
        at: datetime,
    ) -> None:
        await self._session.execute(
            update(LeadView)
            .where(LeadView.lead_id == lead_id)
            .values(
                **facts,
                budget_min_minor=budget_min_minor,
                qualified_at=func.coalesce(LeadView.qualified_at, at),
            )
        )
        # The contact carries the facts of the latest qualification, whichever lead it came from.
        await self._session.execute(
            update(Contact).where(Contact.wa_id == wa_id).values(**facts, timezone=timezone)
        )

    async def set_consent(self, wa_id: str, *, opted_in: bool, opted_out: bool, at: datetime) -> None:
        # The later of an opt-in and an opt-out wins, whatever order they arrive in.
        await self._session.execute(
            update(Contact)
            .where(
                Contact.wa_id == wa_id,
                (Contact.consent_changed_at.is_(None)) | (Contact.consent_changed_at <= at),
            )
            .values(opted_in=opted_in, opted_out=opted_out, consent_changed_at=at)
        )

    async def deposit_paid(
        self, *, wa_id: str, lead_id: uuid.UUID, paid_at: datetime, amount_minor: int
    ) -> None:
        await self._update_contact(
            wa_id,
            {
                Contact.deposit_paid_at: func.greatest(Contact.deposit_paid_at, paid_at),
                Contact.deposits_paid_minor: Contact.deposits_paid_minor + amount_minor,
            },
        )
        await self._update_lead(
            lead_id, {LeadView.deposit_paid_at: func.coalesce(LeadView.deposit_paid_at, paid_at)}
        )

    async def deposit_expired(self, wa_id: str, at: datetime) -> None:
        await self._update_contact(
            wa_id, {Contact.deposit_expired_at: func.greatest(Contact.deposit_expired_at, at)}
        )

    async def booked(self, *, wa_id: str, lead_id: uuid.UUID, starts_at: datetime, at: datetime) -> None:
        await self._update_contact(
            wa_id,
            {
                Contact.first_booked_at: func.least(Contact.first_booked_at, starts_at),
                Contact.last_booked_at: func.greatest(Contact.last_booked_at, starts_at),
                Contact.bookings: Contact.bookings + 1,
            },
        )
        await self._update_lead(lead_id, {LeadView.booked_at: func.coalesce(LeadView.booked_at, at)})

    async def messaged(self, wa_id: str, at: datetime) -> None:
        """The artist's side wrote to the contact at `at`."""
        await self._update_contact(
            wa_id, {Contact.last_outbound_at: func.greatest(Contact.last_outbound_at, at)}
        )

    async def mark_recipient(self, message_id: uuid.UUID, *, column: str, at: datetime) -> None:
        """A campaign message reached a delivery stage (`column`: sent_at, delivered_at, ...); the first
        time counts, and the campaign's funnel is recounted."""
        target = getattr(Recipient, column)
        result = await self._session.execute(
            update(Recipient)
            .where(Recipient.message_id == message_id)
            .values({target: func.coalesce(target, at)})
            .returning(Recipient.campaign_id)
        )
        campaign_id = result.scalar_one_or_none()
        if campaign_id is not None:
            await self._session.execute(
                update(Campaign).where(Campaign.campaign_id == campaign_id).values(metrics_dirty=True)
            )
