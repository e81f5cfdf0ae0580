"""A queued message wakes the sender: it goes out without waiting for the sender's next poll."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState

CLIENT = "447700900321"
MakeSettings = Callable[..., Awaitable[NotifierSettings]]
# The sender polls at start-up and then only after this long: far beyond the test's own timeout.
HOUR = 3600.0


async def test_a_queued_reply_is_sent_without_waiting_for_the_senders_poll(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings(send_poll_seconds=HOUR)
    async with running_service(create_app(settings)):
        await bus.open_window(CLIENT)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await bus.publish(
            subjects.NOTIFY_SEND,
            SendMessage(
                to=CLIENT, content=TextContent(body="Where on your body?"), purpose="consult_question"
            ),
        )
        await eventually(lambda: graph.messages(CLIENT), timeout=20)

    assert [message.text for message in graph.messages(CLIENT)] == ["Where on your body?"]
