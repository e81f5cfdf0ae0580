"""Starting and stopping contacts' nurture sequences."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Contact, Enrollment, Sequence
from inkline_campaigns.domain.sequences import SequenceDefinition, StopReason, Trigger

ACTIVE = "active"


async def _matching(session: AsyncSession, trigger: Trigger) -> list[tuple[uuid.UUID, SequenceDefinition]]:
    rows = await session.execute(
        select(Sequence.sequence_id, Sequence.definition).where(
            Sequence.active, Sequence.trigger == trigger.value
        )
    )
    return [(sequence_id, SequenceDefinition.model_validate(definition)) for sequence_id, definition in rows]


async def enroll(
    session: AsyncSession,
    *,
    trigger: Trigger,
    wa_ids: list[str],
    trigger_key: str,
    at: datetime,
    lead_id: uuid.UUID | None = None,
    status: str | None = None,
) -> int:
    """Enroll the contacts in every active sequence of `trigger`; a repeated trigger key is a no-op."""
    enrolled = 0
    for sequence_id, definition in await _matching(session, trigger):
        if trigger is Trigger.LEAD_STATUS and definition.trigger_status != status:
            continue
        if not wa_ids:
            continue
        due = at + timedelta(hours=definition.steps[0].delay_hours)
        result = await session.execute(
            insert(Enrollment)
            .values(
                [
                    {
                        "enrollment_id": uuid.uuid4(),
                        "sequence_id": sequence_id,
                        "wa_id": wa_id,
                        "lead_id": lead_id,
                        "trigger_key": f"{trigger_key}:{wa_id}",
                        "enrolled_at": at,
                        "next_step": 0,
                        "next_due_at": due,
                        "state": ACTIVE,
                    }
                    for wa_id in wa_ids
                ]
            )
            .on_conflict_do_nothing(index_elements=["sequence_id", "trigger_key"])
            .returning(Enrollment.enrollment_id)
        )
        enrolled += len(result.all())
    return enrolled


async def stop(
    session: AsyncSession, *, wa_id: str, reason: StopReason, at: datetime, sparing: Trigger | None = None
) -> None:
    """Stop the contact's active enrollments that started before `at` (a later trigger is a new story)."""
    statement = update(Enrollment).where(
        Enrollment.wa_id == wa_id, Enrollment.state == ACTIVE, Enrollment.enrolled_at <= at
    )
    if sparing is not None:
        spared = select(Sequence.sequence_id).where(Sequence.trigger == sparing.value)
        statement = statement.where(Enrollment.sequence_id.not_in(spared))
    await session.execute(statement.values(state="stopped", stop_reason=reason.value, next_due_at=None))


async def stop_on_status(session: AsyncSession, *, wa_id: str, status: str, at: datetime) -> None:
    """Stop enrollments whose sequence lists `status` among its stop statuses."""
    stopping = select(Sequence.sequence_id).where(
        Sequence.definition["stop_on_statuses"].contains(func.to_jsonb(status))
    )
    await session.execute(
        update(Enrollment)
        .where(
            Enrollment.wa_id == wa_id,
            Enrollment.state == ACTIVE,
            Enrollment.enrolled_at <= at,
            Enrollment.sequence_id.in_(stopping),
        )
        .values(state="stopped", stop_reason=StopReason.STATUS.value, next_due_at=None)
    )


async def waitlisted_in(session: AsyncSession, *, city: str, country_code: str) -> list[str]:
    rows = await session.scalars(
        select(Contact.wa_id).where(
            Contact.status == "waitlisted",
            func.lower(Contact.city) == city.strip().lower(),
            (Contact.country_code.is_(None)) | (Contact.country_code == country_code.upper()),
        )
    )
    return list(rows)
