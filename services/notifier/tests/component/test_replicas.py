"""Two notifier replicas share the durable notify.send consumer and one database: what one client is
told still reaches them once each and in the order it was said, whichever replica took each message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState

CLIENT = "447700900123"
MakeSettings = Callable[..., Awaitable[NotifierSettings]]
# Enough that both replicas take a share of the burst.
MESSAGES = 40


async def test_a_burst_for_one_client_is_sent_in_order_once_across_two_replicas(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings()
    said = [f"part {number:02d} of the reply" for number in range(MESSAGES)]
    async with running_service(create_app(settings)), running_service(create_app(settings)):
        await bus.open_window(CLIENT)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        for body in said:
            await bus.publish(
                subjects.NOTIFY_SEND,
                SendMessage(to=CLIENT, content=TextContent(body=body), purpose="consult_question"),
            )
        await eventually(lambda: len(graph.messages(CLIENT)) >= MESSAGES, timeout=30)

    assert [message.text for message in graph.messages(CLIENT)] == said
