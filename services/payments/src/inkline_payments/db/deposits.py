"""Loading deposits; every load meant for a change takes the row lock, so webhooks, consumers and
reconciliation touching one deposit run one after another and each sees the others' result."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_payments.db.models import Deposit, StripeEvent
from inkline_payments.domain.statuses import PENDING, DepositStatus


async def _one(session: AsyncSession, statement: Select[Deposit], *, lock: bool) -> Deposit | None:
    if lock:
        statement = statement.with_for_update()
    deposit: Deposit | None = await session.scalar(statement.limit(1))
    return deposit


async def by_id(session: AsyncSession, deposit_id: uuid.UUID, *, lock: bool = True) -> Deposit | None:
    return await _one(session, select(Deposit).where(Deposit.id == deposit_id), lock=lock)


async def by_session_id(
    session: AsyncSession, checkout_session_id: str, *, lock: bool = True
) -> Deposit | None:
    statement = select(Deposit).where(Deposit.checkout_session_id == checkout_session_id)
    return await _one(session, statement, lock=lock)


async def by_payment_intent(session: AsyncSession, payment_intent_id: str) -> Deposit | None:
    statement = select(Deposit).where(Deposit.payment_intent_id == payment_intent_id)
    return await _one(session, statement, lock=True)


async def latest_for_hold(session: AsyncSession, hold_id: uuid.UUID) -> Deposit | None:
    statement = select(Deposit).where(Deposit.hold_id == hold_id).order_by(Deposit.created_at.desc())
    return await _one(session, statement, lock=True)


async def latest_paid_for_lead(session: AsyncSession, lead_id: uuid.UUID) -> Deposit | None:
    statement = (
        select(Deposit)
        .where(
            Deposit.lead_id == lead_id,
            Deposit.status.in_([DepositStatus.PAID.value, DepositStatus.REFUNDED.value]),
        )
        .order_by(Deposit.paid_at.desc())
    )
    return await _one(session, statement, lock=True)


async def add_if_absent(session: AsyncSession, deposit: Deposit) -> None:
    """Insert unless a deposit with this id exists (two deliveries of one request race here)."""
    values = {column.key: getattr(deposit, column.key) for column in Deposit.__table__.columns}
    values = {key: value for key, value in values.items() if value is not None}
    await session.execute(insert(Deposit).values(**values).on_conflict_do_nothing(index_elements=["id"]))


async def due_for_reconciliation(
    session: AsyncSession, *, now: datetime, recheck_before: datetime, limit: int
) -> list[uuid.UUID]:
    """Pending deposits whose session should have ended, least recently checked first."""
    rows = await session.scalars(
        select(Deposit.id)
        .where(
            Deposit.status.in_([status.value for status in PENDING]),
            Deposit.checkout_session_id.is_not(None),
            Deposit.session_expires_at < now,
            or_(Deposit.last_reconciled_at.is_(None), Deposit.last_reconciled_at < recheck_before),
        )
        .order_by(Deposit.last_reconciled_at.asc().nulls_first(), Deposit.session_expires_at)
        .limit(limit)
    )
    return list(rows)


async def claim_event(session: AsyncSession, *, event_id: str, event_type: str) -> bool:
    """Record a Stripe event id; False when it was handled before (Stripe redelivered it)."""
    result = await session.execute(
        insert(StripeEvent)
        .values(event_id=event_id, type=event_type)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(StripeEvent.event_id)
    )
    return result.scalar_one_or_none() is not None
