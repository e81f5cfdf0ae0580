"""A send carries the window its recipient opened: a first reply that overtakes the client's own message on
its way to the notifier still goes out as the free-form reply, not as a paid template."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState

MakeSettings = Callable[..., Awaitable[NotifierSettings]]
NEW_CLIENT = "447700900777"


async def test_a_first_reply_ahead_of_the_clients_message_goes_out_as_text(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings()
    wrote = datetime.now(UTC) - timedelta(seconds=2)
    async with running_service(create_app(settings)):
        # Only the reply: the notifier has not (yet) seen the message that opened the window.
        await bus.publish(
            subjects.NOTIFY_SEND,
            SendMessage(
                to=NEW_CLIENT,
                content=TextContent(body="Hi! What would you like?"),
                purpose="consult_question",
                window_opened_at=wrote,
            ),
        )
        await eventually(lambda: graph.messages(NEW_CLIENT), timeout=20)

    [message] = graph.messages(NEW_CLIENT)
    assert (message.type, message.text) == ("text", "Hi! What would you like?")
