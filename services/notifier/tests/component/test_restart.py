"""Crash safety of the outbound queue: a restart sends what was queued exactly once, and a send whose
answer never came (Meta accepted, the wamid not recorded) is recorded from its status callback, or sent
once more only when no callback came."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, MessageStatusReceived, SendMessage, TemplateContent
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.adapters.whatsapp import GraphWhatsApp
from inkline_notifier.app import create_app
from inkline_notifier.db.outbound import enqueue
from inkline_notifier.domain.rate_limit import Unlimited
from inkline_notifier.handlers.send import SendMessageHandler
from inkline_notifier.handlers.status import MessageStatusReceivedHandler
from inkline_notifier.jobs.sender import Sender, SendPolicy
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus, rows
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.graph import GraphState

MakeSettings = Callable[..., Awaitable[NotifierSettings]]
COUNT = 1000


def reminder(number: int) -> SendMessage:
    return SendMessage(
        to=f"4477009{number:05d}",
        content=TemplateContent(name="appointment_reminder", body_parameters=[f"reminder {number}"]),
        category=Category.UTILITY,
        purpose="reminder",
    )


async def queue(uow: UnitOfWorkFactory, commands: list[SendMessage]) -> None:
    """Record commands the way the notify.send consumer does (one transaction here, for speed)."""
    async with uow() as work:
        for command in commands:
            await SendMessageHandler()(
                work, new_envelope(subjects.NOTIFY_SEND, command, correlation_id="lead-1")
            )
        await work.commit()


async def test_a_restart_with_1000_queued_messages_sends_each_exactly_once(
    make_settings: MakeSettings, graph: GraphState
) -> None:
    settings = await make_settings(whatsapp_messages_per_second=400)
    engine = make_engine(settings.database_url)
    await queue(UnitOfWorkFactory(make_session_factory(engine)), [reminder(n) for n in range(COUNT)])
    await engine.dispose()
    sql_left = "SELECT count(*) FROM outbound_messages WHERE status <> 'sent'"

    async with running_service(create_app(settings)):
        await eventually(lambda: len(graph.messages()) >= 100, timeout=30)
    # Stopped mid-queue: the sends in flight were recorded before the process let go.
    sent_before_restart = len(graph.messages())
    [(left_at_restart,)] = await rows(settings.database_url, sql_left)

    async with running_service(create_app(settings)):
        await eventually(lambda: rows(settings.database_url, sql_left + " HAVING count(*) = 0"), timeout=60)

    assert 0 < left_at_restart < COUNT
    assert sent_before_restart + left_at_restart == COUNT
    texts = Counter(m.body["components"][0]["parameters"][0]["text"] for m in graph.messages())
    assert len(texts) == COUNT
    assert set(texts.values()) == {1}
    recorded = await rows(settings.database_url, "SELECT count(DISTINCT wamid) FROM outbound_messages")
    assert recorded == [(COUNT,)]


class CrashAfterMetaAccepted:
    """The process dies right after Meta answered 200, before the wamid reaches the database."""

    def __init__(self, real: GraphWhatsApp) -> None:
        self.real = real

    async def send(self, body: dict[str, Any]) -> str:
        await self.real.send(body)
        raise asyncio.CancelledError

    async def aclose(self) -> None:
        await self.real.aclose()


async def queue_one(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        command = reminder(1)
        await enqueue(
            work.session,
            message_id=uuid.uuid4(),
            correlation_id="lead-1",
            to=command.to,
            content=command.content,
            purpose=command.purpose,
            category=command.category,
            campaign_tag=None,
        )
        await work.commit()


def graph_adapter(settings: NotifierSettings) -> GraphWhatsApp:
    return GraphWhatsApp(
        base_url=settings.whatsapp_graph_url,
        phone_number_id=settings.whatsapp_phone_number_id,
        access_token=settings.whatsapp_access_token.get_secret_value(),
    )


def sender(uow: UnitOfWorkFactory, gateway: Any, *, wait_for_status: float) -> Sender:
    policy = SendPolicy(templates={}, default_template=None, unconfirmed_wait_seconds=wait_for_status)
    return Sender(uow=uow, gateway=gateway, limiter=Unlimited(), policy=policy)


async def test_after_a_crash_once_meta_accepted_the_status_callback_records_the_send_and_nothing_is_resent(
    make_settings: MakeSettings, graph: GraphState
) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    await queue_one(uow)
    real = graph_adapter(settings)
    try:
        with pytest.raises(asyncio.CancelledError):
            await sender(uow, CrashAfterMetaAccepted(real), wait_for_status=30).run()
        restarted = sender(uow, real, wait_for_status=30)
        await restarted.run()
        [accepted] = graph.messages()
        callback = MessageStatusReceived(
            wamid=accepted.wamid,
            recipient_wa_id=accepted.wa_id,
            status="sent",
            timestamp_epoch=int(accepted.sent_at),
            biz_opaque_callback_data=accepted.callback_data,
        )
        async with uow() as work:
            await MessageStatusReceivedHandler()(
                work, new_envelope(subjects.MESSAGE_STATUS_RECEIVED, callback, correlation_id="x")
            )
            await work.commit()
        await restarted.run()
        stored = await rows(settings.database_url, "SELECT status, wamid FROM outbound_messages")
        announced = await rows(
            settings.database_url,
            "SELECT count(*) FROM outbox WHERE subject = :s",
            s=subjects.MESSAGE_SENT.name,
        )
    finally:
        await real.aclose()
        await engine.dispose()

    assert graph.messages() == [accepted]
    assert stored == [("sent", accepted.wamid)]
    assert announced == [(1,)]


async def test_after_a_crash_once_meta_accepted_and_no_status_callback_the_message_is_resent_once(
    make_settings: MakeSettings, graph: GraphState
) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    await queue_one(uow)
    real = graph_adapter(settings)
    sent = "SELECT status, wamid FROM outbound_messages WHERE status = 'sent'"
    try:
        with pytest.raises(asyncio.CancelledError):
            await sender(uow, CrashAfterMetaAccepted(real), wait_for_status=0.3).run()
        restarted = sender(uow, real, wait_for_status=0.3)

        async def resent() -> list[Any]:
            await restarted.run()
            return await rows(settings.database_url, sent)

        stored = await eventually(resent)
        await restarted.run()
    finally:
        await real.aclose()
        await engine.dispose()

    first, second = graph.messages()
    assert first.body == second.body  # the one duplicate a person can get
    assert stored == [("sent", second.wamid)]


async def test_a_send_that_timed_out_with_no_status_callback_is_sent_once_more_after_the_grace_period(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings(whatsapp_timeout_seconds=0.3, send_unconfirmed_grace_seconds=0.3)
    graph.stall_next(seconds=5)
    async with running_service(create_app(settings)):
        await bus.publish(subjects.NOTIFY_SEND, reminder(2))
        await eventually(
            lambda: rows(settings.database_url, "SELECT 1 FROM outbound_messages WHERE status = 'sent'")
        )

    stalled, retried = graph.messages()
    assert [a.outcome for a in graph.attempts()] == ["stalled", "accepted"]
    stored = await rows(settings.database_url, "SELECT wamid, attempts, unconfirmed FROM outbound_messages")
    assert stored == [(retried.wamid, 2, 1)]
    assert stalled.wamid != retried.wamid


class RateUnavailableOnce:
    """The number's rate cannot be read once (it lives in the database), then can."""

    def __init__(self) -> None:
        self.failed = False

    async def acquire(self) -> None:
        if not self.failed:
            self.failed = True
            raise ConnectionError("database unavailable")


async def test_a_send_whose_rate_could_not_be_read_goes_out_at_once_when_it_can(
    make_settings: MakeSettings, graph: GraphState
) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    await queue_one(uow)
    real = graph_adapter(settings)
    # An hour's grace for a call that may have been made: the send is not one, so it must not wait for it.
    policy = SendPolicy(
        templates={}, default_template=None, unconfirmed_wait_seconds=3600, retry_base_seconds=0.0
    )
    try:
        await Sender(uow=uow, gateway=real, limiter=RateUnavailableOnce(), policy=policy).run()
    finally:
        await real.aclose()
        await engine.dispose()

    assert len(graph.messages()) == 1
    assert await rows(settings.database_url, "SELECT status, unconfirmed FROM outbound_messages") == [
        ("sent", 0)
    ]


class AnswersAtOnce:
    """Meta answering every call of a batch at the same moment."""

    async def send(self, body: dict[str, Any]) -> str:
        return f"wamid.{uuid.uuid4().hex}"

    async def aclose(self) -> None:
        return None


async def test_a_batchs_answers_are_recorded_in_one_transaction_and_each_announced(
    make_settings: MakeSettings,
) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    await queue(uow, [reminder(n) for n in range(16)])
    commits: list[object] = []
    event.listen(engine.sync_engine, "commit", commits.append)
    try:
        await sender(uow, AnswersAtOnce(), wait_for_status=30).run()
    finally:
        await engine.dispose()

    # One to take the batch, one for its sixteen answers (not one each).
    assert len(commits) == 2
    sent = "SELECT count(*) FROM outbound_messages WHERE status = 'sent' AND wamid IS NOT NULL"
    assert await rows(settings.database_url, sent) == [(16,)]
    announced = "SELECT count(DISTINCT message_id) FROM outbox WHERE subject LIKE '%.message.sent.%'"
    assert await rows(settings.database_url, announced) == [(16,)]


def _statements_counted(engine: AsyncEngine) -> list[str]:
    statements: list[str] = []

    def seen(_: Any, __: Any, statement: str, *___: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    return statements


async def test_a_lone_message_is_sent_without_asking_for_more_afterwards(make_settings: MakeSettings) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    await queue(uow, [reminder(1)])
    statements = _statements_counted(engine)
    try:
        await sender(uow, AnswersAtOnce(), wait_for_status=30).run()
    finally:
        await engine.dispose()

    # Take it and mark the call started; record the answer (taking the wamid's lock as it does), look
    # for statuses parked for it, announce it. No claim after it: nothing could be due (a message queued
    # meanwhile wakes the sender anew).
    assert [statement.split()[0] for statement in statements] == [
        "SELECT",
        "UPDATE",
        "UPDATE",
        "DELETE",
        "INSERT",
    ]
    assert await rows(settings.database_url, "SELECT status FROM outbound_messages") == [("sent",)]


async def test_a_recipients_next_message_goes_out_in_the_same_run_once_the_first_is_sent(
    make_settings: MakeSettings,
) -> None:
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    first, second = reminder(1), reminder(1).model_copy(update={"purpose": "reminder-2"})
    await queue(uow, [first, second])
    try:
        await sender(uow, AnswersAtOnce(), wait_for_status=30).run()
    finally:
        await engine.dispose()

    in_order = "SELECT purpose, status FROM outbound_messages ORDER BY sent_at, seq"
    assert await rows(settings.database_url, in_order) == [("reminder", "sent"), ("reminder-2", "sent")]
