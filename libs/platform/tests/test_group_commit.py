"""Group commit: the messages of one fetch are handled in one transaction, in stream order, and a failure
among them loses and repeats nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest
from opentelemetry import trace
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually, running_service
from inkline_platform import group_commit
from inkline_platform.db import make_session_factory
from inkline_platform.group_commit import FetchGroup, Member, Outcome
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

Handler = Callable[[UnitOfWork, Envelope[LeadCancelled]], Awaitable[None]]


def _runtime(service: str, database_url: str, nats_url: str) -> ServiceRuntime:
    return ServiceRuntime(
        service=service,
        settings=ServiceSettings(
            database_url=database_url,
            nats_url=nats_url,
            log_json=False,
            outbox_poll_seconds=0.05,
            consumer_backoff_seconds=[0.05],
        ),
    )


async def _consume_what_was_published(
    database_url: str, nats_url: str, leads: Sequence[uuid.UUID], handle: Handler, done: Callable[[], bool]
) -> None:
    """Publish one message per lead, wait until all are in the stream, and only then start the consumer,
    so that its first fetch brings them all."""
    writer = _runtime("writer", database_url, nats_url)
    async with running_service(writer.create_app(title="writer")):
        async with writer.uow() as work:
            for lead in leads:
                work.publish(
                    subjects.LEAD_CANCELLED, LeadCancelled(lead_id=lead, reason="x"), correlation_id=str(lead)
                )
            await work.commit()
        await eventually(lambda: _published_all(writer))
    reader = _runtime("groups", database_url, nats_url)
    reader.consume(subjects.LEAD_CANCELLED, handle, name="cancelled", group_commit=True)
    async with running_service(reader.create_app(title="groups")):
        await eventually(done)
        await eventually(lambda: _nothing_left_to_acknowledge(reader))


async def _published_all(runtime: ServiceRuntime) -> bool:
    return await runtime.relay.pending_count() == 0


async def _nothing_left_to_acknowledge(runtime: ServiceRuntime) -> bool:
    info = await runtime.broker.connection.jetstream().consumer_info(
        subjects.LEAD_CANCELLED.stream, "groups-cancelled"
    )
    return bool(info.num_ack_pending == 0 and info.num_pending == 0)


async def _record_effect(work: UnitOfWork, lead: uuid.UUID) -> None:
    await work.session.execute(text("INSERT INTO effects (lead_id) VALUES (:lead)"), {"lead": lead})


async def _effects(engine: AsyncEngine) -> list[uuid.UUID]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT lead_id FROM effects ORDER BY seq"))
        return [row.lead_id for row in rows]


@pytest.fixture
async def effects_table(engine: AsyncEngine) -> None:
    # No unique key on purpose: an effect committed twice shows as two rows.
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE effects (seq bigserial PRIMARY KEY, lead_id uuid NOT NULL)")
        )


@pytest.mark.usefixtures("effects_table")
async def test_the_messages_of_one_fetch_are_handled_in_one_transaction_in_stream_order(
    database_url: str, nats_url: str, engine: AsyncEngine
) -> None:
    leads = [uuid.uuid4() for _ in range(5)]
    transactions: list[int] = []

    async def handle(work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        transactions.append(id(work))
        await _record_effect(work, envelope.payload.lead_id)

    await _consume_what_was_published(
        database_url, nats_url, leads, handle, lambda: len(transactions) == len(leads)
    )

    assert await _effects(engine) == leads
    assert len(set(transactions)) == 1, "one unit of work for the whole fetch"


@pytest.mark.usefixtures("effects_table")
async def test_a_failing_message_in_a_fetch_leaves_the_others_committed_exactly_once(
    database_url: str, nats_url: str, engine: AsyncEngine
) -> None:
    leads = [uuid.uuid4() for _ in range(5)]
    failing = leads[2]
    seen_with: list[tuple[uuid.UUID, int]] = []
    failed: list[uuid.UUID] = []

    async def handle(work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        lead = envelope.payload.lead_id
        seen_with.append((lead, id(work)))
        await _record_effect(work, lead)
        if lead == failing and not failed:
            failed.append(lead)
            raise RuntimeError("the calendar said no, this once")

    await _consume_what_was_published(
        database_url, nats_url, leads, handle, lambda: len(set(_effect_leads(seen_with))) == len(leads)
    )

    first_transaction = seen_with[0][1]
    in_the_group = [lead for lead, work in seen_with if work == first_transaction]
    assert in_the_group == leads[:3], "the group ran up to the failing message, then rolled back"
    assert sorted(await _effects(engine)) == sorted(leads), "every message's effect committed once"


def _effect_leads(seen: list[tuple[uuid.UUID, int]]) -> list[uuid.UUID]:
    return [lead for lead, _ in seen]


async def test_claiming_several_messages_returns_only_those_not_handled_before(engine: AsyncEngine) -> None:
    uow = UnitOfWorkFactory(make_session_factory(engine))
    handled, new = uuid.uuid4(), uuid.uuid4()
    async with uow() as work:
        assert await work.claim(consumer="c", message_id=handled, subject="s")
        await work.commit()
    async with uow() as work:
        fresh = await work.claim_all(consumer="c", message_ids=[handled, new], subject="s")
        await work.commit()
    assert fresh == {new}


async def test_members_that_arrived_go_ahead_when_one_of_their_fetch_never_comes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_commit, "GATHER_SECONDS", 0.05)
    group = FetchGroup(3)
    ran: list[list[int]] = []

    async def run(members: Sequence[Member]) -> set[Any]:
        ran.append([member.stream_sequence for member in members])
        return set()

    def member(sequence: int) -> Member:
        envelope = new_envelope(
            subjects.LEAD_CANCELLED, LeadCancelled(lead_id=uuid.uuid4(), reason="x"), correlation_id="c"
        )
        return Member(envelope, sequence, span=trace.INVALID_SPAN)

    outcomes = await asyncio.gather(group.handle(member(2), run), group.handle(member(1), run))
    late = await group.handle(member(3), run)

    assert ran == [[1, 2]]
    assert list(outcomes) == [Outcome.HANDLED, Outcome.HANDLED]
    assert late is Outcome.ALONE
