"""`/api/sequences`: nurture sequences (trigger, timed steps, stop conditions)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.api.schemas import SequenceOut
from inkline_campaigns.db.models import Sequence
from inkline_campaigns.db.templates import load_template
from inkline_campaigns.domain.sequences import SequenceDefinition
from inkline_campaigns.domain.templates import TemplateMismatchError, check_fit
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory


def _out(row: Sequence) -> SequenceOut:
    return SequenceOut(
        sequence_id=row.sequence_id,
        builtin=row.builtin,
        definition=SequenceDefinition.model_validate(row.definition),
    )


async def _get(session: AsyncSession, sequence_id: uuid.UUID) -> Sequence:
    row = await session.get(Sequence, sequence_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no sequence {sequence_id}")
    return row


async def _check_steps(session: AsyncSession, definition: SequenceDefinition) -> None:
    for number, step in enumerate(definition.steps, start=1):
        try:
            check_fit(
                await load_template(session, step.template),
                name=step.template,
                language=step.language,
                parameters=step.parameters,
            )
        except TemplateMismatchError as exc:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"step {number}: {exc}"
            ) from None


async def _commit(unit: UnitOfWork, name: str) -> None:
    try:
        await unit.commit()
    except IntegrityError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"a sequence is already named {name!r}"
        ) from None


def _store(row: Sequence, definition: SequenceDefinition) -> None:
    row.name = definition.name
    row.definition = definition.model_dump(mode="json")
    row.trigger = definition.trigger.value
    row.active = definition.active


def sequences_router(*, uow: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(prefix="/api/sequences", tags=["sequences"])

    @router.get("")
    async def list_sequences() -> list[SequenceOut]:
        """Every nurture sequence, built-in ones included."""
        async with uow() as unit:
            return [_out(row) for row in await unit.session.scalars(select(Sequence).order_by(Sequence.name))]

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def create_sequence(body: SequenceDefinition) -> SequenceOut:
        """Create a sequence; its templates must be approved and fit their parameters."""
        async with uow() as unit:
            await _check_steps(unit.session, body)
            row = Sequence(sequence_id=uuid.uuid4(), builtin=False)
            _store(row, body)
            unit.session.add(row)
            await _commit(unit, body.name)
            return _out(row)

    @router.get("/{sequence_id}")
    async def get_sequence(sequence_id: uuid.UUID) -> SequenceOut:
        """One sequence."""
        async with uow() as unit:
            return _out(await _get(unit.session, sequence_id))

    @router.put("/{sequence_id}")
    async def update_sequence(sequence_id: uuid.UUID, body: SequenceDefinition) -> SequenceOut:
        """Change a sequence; contacts already in it continue with the new steps (or stop if deactivated)."""
        async with uow() as unit:
            row = await _get(unit.session, sequence_id)
            await _check_steps(unit.session, body)
            _store(row, body)
            await _commit(unit, body.name)
            return _out(row)

    @router.delete("/{sequence_id}", status_code=status.HTTP_204_NO_CONTENT)
    async def delete_sequence(sequence_id: uuid.UUID) -> None:
        """Delete a sequence and its enrollments."""
        async with uow() as unit:
            await unit.session.delete(await _get(unit.session, sequence_id))
            await unit.commit()

    return router
