"""A campaign's recipients as the dispatcher decides about them, written in bulk."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Contact, Recipient
from inkline_campaigns.domain.consent import SkipReason

RECIPIENTS = cast(Table, Recipient.__table__)
CONTACTS = cast(Table, Contact.__table__)


async def expire_pending(session: AsyncSession, campaign_id: uuid.UUID) -> int:
    """An offer past its expiry is no offer: whoever was still waiting for their turn is skipped."""
    result = await session.execute(
        update(RECIPIENTS)
        .where(RECIPIENTS.c.campaign_id == campaign_id, RECIPIENTS.c.state == "pending")
        .values(state="skipped", skip_reason=SkipReason.EXPIRED.value)
        .returning(RECIPIENTS.c.wa_id)
    )
    return len(result.all())


def _row(campaign_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(RECIPIENTS.c.campaign_id == campaign_id, RECIPIENTS.c.wa_id == bindparam("key"))


async def record_decisions(
    session: AsyncSession,
    campaign_id: uuid.UUID,
    now: datetime,
    *,
    handed_off: list[dict[str, Any]],
    skipped: list[dict[str, Any]],
    deferred: list[dict[str, Any]],
) -> None:
    """Write a batch's decisions with one executemany per kind (the ORM would send row by row)."""
    if handed_off:
        await session.execute(
            update(RECIPIENTS)
            .where(_row(campaign_id))
            .values(state="handed_off", message_id=bindparam("message_id"), handed_off_at=now),
            handed_off,
        )
        await session.execute(
            update(CONTACTS)
            .where(CONTACTS.c.wa_id.in_([row["key"] for row in handed_off]))
            .values(last_marketing_at=now)
        )
    if skipped:
        await session.execute(
            update(RECIPIENTS)
            .where(_row(campaign_id))
            .values(state="skipped", skip_reason=bindparam("reason")),
            skipped,
        )
    if deferred:
        await session.execute(
            update(RECIPIENTS).where(_row(campaign_id)).values(send_after=bindparam("at")), deferred
        )
