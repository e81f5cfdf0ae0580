"""Meta's status callbacks (forwarded by conversation) move sent messages forward, never back."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from inkline_contracts import subjects
from inkline_contracts.events.notify import MessageStatusReceived, SendMessage, TemplateContent
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus, rows
from inkline_sandbox.graph import GraphState

CLIENT = "447700900123"
MakeSettings = Callable[..., Awaitable[NotifierSettings]]
REMINDER = SendMessage(
    to=CLIENT,
    content=TemplateContent(name="flash_day", body_parameters=["Sam"]),
    purpose="campaign",
    campaign_tag="spring",
)


def status(wamid: str, value: str, error_code: int | None = None) -> MessageStatusReceived:
    return MessageStatusReceived(
        wamid=wamid,
        recipient_wa_id=CLIENT,
        status=value,
        timestamp_epoch=int(time.time()),
        error_code=error_code,
    )


async def test_read_arriving_before_delivered_ends_at_read(
    make_settings: Callable[..., Awaitable[NotifierSettings]], bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
        JetStreamProbe(nats_url, subjects.MESSAGE_DELIVERED.name) as delivered,
        JetStreamProbe(nats_url, subjects.MESSAGE_READ.name) as read,
    ):
        await bus.publish(subjects.NOTIFY_SEND, REMINDER)
        [event] = await sent.wait_for_count(1)
        wamid = event["payload"]["wamid"]
        for value in ("read", "delivered", "sent"):
            await bus.publish(subjects.MESSAGE_STATUS_RECEIVED, status(wamid, value))
        await bus.wait_consumed(subjects.MESSAGE_STATUS_RECEIVED, "notifier-message-status", count=3)
        await read.wait_for_count(1)
        await delivered.wait_for_count(1)

    stored = await rows(settings.database_url, "SELECT status FROM outbound_messages")
    assert stored == [("read",)]
    # The read implied the delivery; the late `delivered` announced nothing more.
    assert len(delivered.messages) == 1
    assert len(read.messages) == 1
    assert read.messages[0]["payload"]["campaign_tag"] == "spring"


async def test_a_failed_status_fails_a_sent_message_with_metas_code(
    make_settings: MakeSettings, bus: Bus, nats_url: str
) -> None:
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        await bus.publish(subjects.NOTIFY_SEND, REMINDER)
        [event] = await sent.wait_for_count(1)
        await bus.publish(
            subjects.MESSAGE_STATUS_RECEIVED, status(event["payload"]["wamid"], "failed", 131026)
        )
        [failure] = await failed.wait_for_count(1)

    assert (failure["payload"]["reason"], failure["payload"]["error_code"]) == ("meta_error", 131026)
    stored = await rows(settings.database_url, "SELECT status, error_code FROM outbound_messages")
    assert stored == [("failed", 131026)]


async def test_a_status_arriving_before_the_wamid_is_recorded_is_applied_once_it_is(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    graph.stall_next(seconds=30)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_DELIVERED.name) as delivered,
    ):
        await bus.publish(subjects.NOTIFY_SEND, REMINDER)
        [accepted] = await eventually(graph.messages)
        await bus.publish(subjects.MESSAGE_STATUS_RECEIVED, status(accepted.wamid, "delivered"))
        await bus.wait_consumed(subjects.MESSAGE_STATUS_RECEIVED, "notifier-message-status", count=1)
        parked = await rows(settings.database_url, "SELECT status FROM unmatched_statuses")
        graph.release_stalled()
        [event] = await delivered.wait_for_count(1)

    assert parked == [("delivered",)]
    assert event["payload"]["wamid"] == accepted.wamid
    assert await rows(settings.database_url, "SELECT count(*) FROM unmatched_statuses") == [(0,)]
