"""A send whose answer never came is not blindly repeated: Meta's status callback, which carries the
send's tag, records it; only when none comes within the grace period is it sent once more, and never a
third time. A 5xx is a definite "not sent" and is still retried."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus, rows
from inkline_sandbox.graph import GraphState

CLIENT = "447700900123"
OTHER = "447700900456"
MakeSettings = Callable[..., Awaitable[NotifierSettings]]
StatusCallbacks = Callable[..., Awaitable[int]]
# The first time a message is marked sent, the database refuses: the send reached Meta, its record did not.
RECORDING_FAILS_ONCE = [
    "CREATE SEQUENCE record_faults",
    """
    CREATE FUNCTION fail_first_record() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status = 'sent' AND OLD.status = 'queued' AND nextval('record_faults') = 1 THEN
            RAISE EXCEPTION 'simulated: the connection broke while recording the send';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER fail_first_record BEFORE UPDATE ON outbound_messages
    FOR EACH ROW EXECUTE FUNCTION fail_first_record()
    """,
]


def reminder(to: str = CLIENT) -> SendMessage:
    return SendMessage(
        to=to,
        content=TemplateContent(name="appointment_reminder", body_parameters=["Friday 11:00"]),
        category=Category.UTILITY,
        purpose="reminder",
    )


async def execute(database_url: str, statements: list[str]) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def test_a_send_that_timed_out_after_meta_accepted_is_recorded_from_its_status_not_resent(
    make_settings: MakeSettings,
    bus: Bus,
    graph: GraphState,
    nats_url: str,
    status_callbacks: StatusCallbacks,
) -> None:
    settings = await make_settings(whatsapp_timeout_seconds=0.3, send_unconfirmed_grace_seconds=30)
    graph.stall_next(seconds=30)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        command = await bus.publish(subjects.NOTIFY_SEND, reminder())
        # Meta accepted it, and the notifier gave up waiting for the answer.
        [accepted] = await eventually(graph.abandoned)
        await status_callbacks(("sent", "delivered"))
        [event] = await sent.wait_for_count(1)
        await bus.wait_consumed(subjects.MESSAGE_STATUS_RECEIVED, "notifier-message-status", count=2)

    assert graph.messages() == [accepted]
    assert accepted.callback_data == f"{command.message_id}:1"
    assert (event["payload"]["notification_id"], event["payload"]["wamid"]) == (
        str(command.message_id),
        accepted.wamid,
    )
    stored = await rows(
        settings.database_url, "SELECT status, wamid, sent_as, attempts FROM outbound_messages"
    )
    assert stored == [("delivered", accepted.wamid, "template", 1)]
    assert len(sent.messages) == 1


async def test_a_send_meta_accepted_but_the_database_failed_to_record_is_not_sent_again_blindly(
    make_settings: MakeSettings,
    bus: Bus,
    graph: GraphState,
    nats_url: str,
    status_callbacks: StatusCallbacks,
) -> None:
    settings = await make_settings(send_unconfirmed_grace_seconds=30)
    await execute(settings.database_url, RECORDING_FAILS_ONCE)
    fault_fired = "SELECT 1 FROM record_faults WHERE is_called"
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(subjects.NOTIFY_SEND, reminder())
        await eventually(lambda: rows(settings.database_url, fault_fired))
        # The sender carries on: a later message to someone else goes out and is recorded...
        await bus.publish(subjects.NOTIFY_SEND, reminder(OTHER))
        [other] = await sent.wait_for_count(1)
        # ...while the unrecorded one was not sent a second time.
        first_copies = len(graph.messages(CLIENT))
        await status_callbacks()
        await sent.wait_for_count(2)

    assert other["payload"]["to"] == OTHER
    assert first_copies == 1
    [accepted] = graph.messages(CLIENT)
    stored = await rows(
        settings.database_url, "SELECT wamid FROM outbound_messages WHERE to_wa_id = :c", c=CLIENT
    )
    assert stored == [(accepted.wamid,)]


async def test_without_any_status_callback_an_unanswered_send_is_sent_at_most_once_more(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings(whatsapp_timeout_seconds=0.2, send_unconfirmed_grace_seconds=0.3)
    graph.stall_next(seconds=30, times=5)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        command = await bus.publish(subjects.NOTIFY_SEND, reminder())
        [event] = await failed.wait_for_count(1)

    first, second = graph.messages(CLIENT)
    assert [a.outcome for a in graph.attempts()] == ["stalled", "stalled"]
    assert (first.callback_data, second.callback_data) == (
        f"{command.message_id}:1",
        f"{command.message_id}:2",
    )
    assert (event["payload"]["notification_id"], event["payload"]["reason"]) == (
        str(command.message_id),
        "unconfirmed",
    )
    stored = await rows(settings.database_url, "SELECT status, attempts, unconfirmed FROM outbound_messages")
    assert stored == [("failed", 2, 2)]


async def test_a_server_error_is_a_definite_failure_and_is_retried_with_backoff(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings(send_max_attempts=3, send_unconfirmed_grace_seconds=30)
    graph.fail_next(131000, times=2)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(subjects.NOTIFY_SEND, reminder())
        [event] = await sent.wait_for_count(1)

    assert [(a.outcome, a.error_code) for a in graph.attempts()] == [
        ("rejected", 131000),
        ("rejected", 131000),
        ("accepted", None),
    ]
    stored = await rows(
        settings.database_url,
        "SELECT wamid, attempts, retried, unconfirmed, error_code FROM outbound_messages",
    )
    assert stored == [(event["payload"]["wamid"], 3, 2, 0, 131000)]
