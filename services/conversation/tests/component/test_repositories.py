"""The journey's repositories behave the same on PostgreSQL (db/repositories.py) and in memory
(inkline_conversation.testing), so the unit tests that use the fake prove what production does."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.db.artist_settings import save_artist_settings
from inkline_conversation.db.models import Base, Contact, InboundMessage, Lead, ScheduledMessage
from inkline_conversation.db.repositories import sql_repositories
from inkline_conversation.domain.appointment_plan import AppointmentMessage, PlannedMessage
from inkline_conversation.domain.artist_settings import ArtistSettings
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.repositories import Repositories
from inkline_conversation.testing.memory import InMemoryConversation
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BOOKING = uuid.uuid4()


@dataclass
class Store:
    """One implementation: its repositories inside an open unit of work, and a way to seed rows."""

    repos: Repositories
    add: Callable[..., Awaitable[None]]


async def _sql(migrated_database: DatabaseFactory) -> AsyncIterator[Store]:
    engine = make_engine(await migrated_database(MIGRATIONS_DIR))
    try:
        async with UnitOfWorkFactory(make_session_factory(engine))() as work:

            async def add(*rows: Base) -> None:
                for row in rows:  # in order: a lead's contact before the lead, the lead before its messages
                    work.session.add(row)
                    await work.session.flush()

            yield Store(sql_repositories(work), add)
    finally:
        await engine.dispose()


async def _memory() -> AsyncIterator[Store]:
    store = InMemoryConversation()

    async def add(*rows: Base) -> None:
        for row in rows:
            match row:
                case Contact():
                    store.contacts[row.wa_id] = row
                case Lead():
                    store.leads[row.id] = row
                case InboundMessage():
                    store.inbound.append(row)
                case ScheduledMessage():
                    store.scheduled.append(row)
                case _:
                    raise TypeError(type(row).__name__)

    work: UnitOfWork = store
    yield Store(store.repositories(work), add)


@pytest.fixture(params=["postgresql", "memory"])
async def store(request: pytest.FixtureRequest, migrated_database: DatabaseFactory) -> AsyncIterator[Store]:
    implementation = _sql(migrated_database) if request.param == "postgresql" else _memory()
    async for opened in implementation:
        yield opened


def _lead(wa_id: str, status: LeadStatus = LeadStatus.CONSULTING, **fields: Any) -> tuple[Contact, Lead]:
    columns: dict[str, Any] = {
        "language": "en",
        "consultation": {},
        "slot_strikes": 0,
        "reminders_sent": 0,
        "reschedules_used": 0,
        "created_at": NOW,
        "updated_at": NOW,
        "status_changed_at": NOW,
    }
    contact = Contact(wa_id=wa_id, opted_out=False, created_at=NOW)
    return contact, Lead(id=uuid.uuid4(), wa_id=wa_id, status=status.value, **(columns | fields))


def _message(lead: Lead, wamid: str, *, sent: datetime, received: datetime | None = None) -> InboundMessage:
    return InboundMessage(
        wamid=wamid,
        lead_id=lead.id,
        wa_id=lead.wa_id,
        kind="text",
        text=wamid,
        sent_at=sent,
        received_at=received or sent,
        raw={"type": "text"},
        processed_at=None,
    )


async def test_unprocessed_messages_come_in_the_order_they_were_sent(store: Store) -> None:
    contact, lead = _lead("447700900001")
    late, early, handled = (
        _message(lead, "w.late", sent=NOW, received=NOW),
        _message(lead, "w.early", sent=NOW - timedelta(minutes=5), received=NOW + timedelta(seconds=1)),
        _message(lead, "w.handled", sent=NOW - timedelta(minutes=9)),
    )
    handled.processed_at = NOW
    await store.add(contact, lead, late, early, handled)

    unprocessed = await store.repos.inbound.unprocessed(lead.id)
    latest = await store.repos.inbound.latest(lead.id, 2)
    pending = await store.repos.inbound.pending(lead.id, received_since=NOW - timedelta(seconds=30))

    assert [row.wamid for row in unprocessed] == ["w.early", "w.late"]
    assert [row.wamid for row in latest] == ["w.late", "w.early"], "newest first, at most the limit"
    assert pending.received_lately == 2
    assert [row.wamid for row in pending.messages] == ["w.early", "w.late"]


async def test_only_leads_gone_quiet_with_messages_left_are_caught_up(store: Store) -> None:
    quiet_contact, quiet = _lead("447700900002")
    busy_contact, busy = _lead("447700900003")
    await store.add(
        quiet_contact,
        quiet,
        busy_contact,
        busy,
        _message(quiet, "w.quiet", sent=NOW - timedelta(minutes=2)),
        _message(busy, "w.busy.1", sent=NOW - timedelta(minutes=2)),
        _message(busy, "w.busy.2", sent=NOW),
    )

    assert await store.repos.inbound.leads_quiet_with_unprocessed(NOW - timedelta(minutes=1), 100) == [
        quiet.id
    ]


async def test_waitlisted_leads_are_found_by_city_in_any_case(store: Store) -> None:
    here_contact, here = _lead("447700900004", LeadStatus.WAITLISTED, qualified={"city": "Berlin"})
    other_contact, other = _lead("447700900005", LeadStatus.WAITLISTED, qualified={"city": "Paris"})
    await store.add(here_contact, here, other_contact, other)

    assert await store.repos.leads.waitlisted_in("BERLIN") == [here.id]
    locked = await store.repos.leads.lock(here.id)
    assert locked is not None
    assert locked.id == here.id
    assert await store.repos.leads.lock(uuid.uuid4()) is None
    contact = await store.repos.leads.contact("447700900004")
    assert contact is not None
    assert contact.wa_id == "447700900004"


async def test_silent_and_undecided_leads_are_found_by_when_they_last_moved(store: Store) -> None:
    silent_contact, silent = _lead("447700900006", last_inbound_at=NOW - timedelta(hours=13))
    chatty_contact, chatty = _lead("447700900007", last_inbound_at=NOW)
    waiting_contact, waiting = _lead(
        "447700900008", LeadStatus.QUALIFIED, status_changed_at=NOW - timedelta(hours=30)
    )
    reminded_contact, reminded = _lead(
        "447700900009",
        LeadStatus.QUALIFIED,
        status_changed_at=NOW - timedelta(hours=30),
        artist_reminded_at=NOW - timedelta(hours=1),
    )
    await store.add(
        silent_contact, silent, chatty_contact, chatty, waiting_contact, waiting, reminded_contact, reminded
    )
    consulting = (LeadStatus.CONSULTING.value,)
    deciding = (LeadStatus.QUALIFIED.value,)

    assert await store.repos.leads.silent_since(consulting, NOW - timedelta(hours=12), 10) == [silent.id]
    assert await store.repos.leads.undecided_since(deciding, NOW - timedelta(hours=24), 10) == [waiting.id]


async def test_a_plan_is_kept_once_per_kind_and_a_new_plan_replaces_what_the_old_had_not_sent(
    store: Store,
) -> None:
    contact, lead = _lead("447700900010", LeadStatus.BOOKED)
    await store.add(contact, lead)
    early, final = AppointmentMessage.REMINDER_EARLY, AppointmentMessage.REMINDER_FINAL
    first = [
        PlannedMessage(kind=early, due_at=NOW),
        PlannedMessage(kind=final, due_at=NOW + timedelta(days=2)),
    ]

    await store.repos.scheduled.plan(lead.id, BOOKING, first)
    await store.repos.scheduled.plan(lead.id, BOOKING, first)  # planned again: nothing added
    [(sent_id, _)] = await store.repos.scheduled.due(NOW, 10)
    sent = await store.repos.scheduled.lock_unsent(sent_id)
    assert sent is not None
    sent.sent_at = NOW
    assert await store.repos.scheduled.was_sent(lead.id, early.value)
    assert await store.repos.scheduled.lock_unsent(sent_id) is None, "a sent message is not sent again"

    await store.repos.scheduled.supersede(BOOKING, NOW)
    await store.repos.scheduled.plan(
        lead.id, BOOKING, [PlannedMessage(kind=final, due_at=NOW + timedelta(days=9))]
    )

    assert await store.repos.scheduled.due(NOW + timedelta(days=3), 10) == [], "the old final reminder is off"
    [(_, due_lead)] = await store.repos.scheduled.due(NOW + timedelta(days=9), 10)
    assert due_lead == lead.id
    assert await store.repos.scheduled.cancel_pending(BOOKING, NOW) == 1
    assert await store.repos.scheduled.due(NOW + timedelta(days=9), 10) == []


async def test_action_links_are_fresh_each_time_and_point_at_the_public_site(store: Store) -> None:
    contact, lead = _lead("447700900011", LeadStatus.QUALIFIED)
    await store.add(contact, lead)
    issue = store.repos.action_links.issue

    first = await issue(
        lead.id, (ActionKind.APPROVE,), now=NOW, ttl=timedelta(hours=1), base_url="http://a.test/"
    )
    second = await issue(
        lead.id, (ActionKind.APPROVE,), now=NOW, ttl=timedelta(hours=1), base_url="http://a.test/"
    )

    assert first[ActionKind.APPROVE].startswith("http://a.test/actions/")
    assert first[ActionKind.APPROVE] != second[ActionKind.APPROVE]


async def test_a_turn_reads_the_settings_the_artist_saved_last_and_parses_a_version_once(
    migrated_database: DatabaseFactory,
) -> None:
    engine = make_engine(await migrated_database(MIGRATIONS_DIR))
    uow = UnitOfWorkFactory(make_session_factory(engine))
    contact, lead = _lead("447700900009")
    saved = ArtistSettings(
        artist_name="Rowan",
        studio_address="",
        minimum_spend_minor=0,
        deposit_by_size_minor={},
        artist_does_cover_ups=True,
        artist_does_colour=True,
        free_reschedule_notice_hours=48,
        refund_notice_hours=72,
        appointment_early_reminder_hours=48,
        appointment_final_reminder_hours=24,
    )

    async def turn_reads() -> ArtistSettings | None:
        async with uow() as work:
            repos = sql_repositories(work)
            assert await repos.leads.lock(lead.id) is not None
            return await repos.artist_settings.current()

    async def save(minimum_minor: int) -> None:
        async with uow() as work:
            artist = saved.model_copy(update={"minimum_spend_minor": minimum_minor})
            await save_artist_settings(work.session, artist, changed_by="Rowan", now=NOW)
            await work.commit()

    try:
        async with uow() as work:
            work.session.add(contact)
            await work.session.flush()
            work.session.add(lead)
            await work.commit()
        assert await turn_reads() is None, "nothing saved: the environment's values apply"
        await save(20000)
        first = await turn_reads()
        again = await turn_reads()
        await save(30000)
        after_save = await turn_reads()
    finally:
        await engine.dispose()

    assert first is not None
    assert first.minimum_spend_minor == 20000
    assert again is first, "an unchanged version is not read and parsed again"
    assert after_save is not None
    assert after_save.minimum_spend_minor == 30000, "a save applies from the next turn"
