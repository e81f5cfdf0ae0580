"""A reply never queues behind a campaign: the two lanes send side by side on the number's shared rate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent, TextContent
from inkline_contracts.send_routing import published_subject
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState

MakeSettings = Callable[..., Awaitable[NotifierSettings]]
CLIENT = "447700900555"
AUDIENCE = [f"4477009011{n:02d}" for n in range(40)]
# Slow enough that the campaign is still going out when the client writes.
RATE = 4


async def _publish(bus: Bus, command: SendMessage) -> None:
    """As the outbox relay publishes it: on the command's lane and partition."""
    body = new_envelope(subjects.NOTIFY_SEND, command, correlation_id="campaign").model_dump_json()
    await bus.js.publish(
        published_subject(subjects.NOTIFY_SEND.name, body), body.encode(), stream=subjects.NOTIFY_SEND.stream
    )


async def test_a_reply_goes_out_while_a_campaign_is_still_sending(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings(whatsapp_messages_per_second=RATE)
    offer = TemplateContent(name="flash_day", language="en")
    async with running_service(create_app(settings)):
        for wa_id in AUDIENCE:
            await _publish(
                bus, SendMessage(to=wa_id, content=offer, category=Category.MARKETING, purpose="campaign")
            )
        await eventually(lambda: graph.messages(AUDIENCE[0]), timeout=20)
        await bus.open_window(CLIENT)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await _publish(
            bus, SendMessage(to=CLIENT, content=TextContent(body="Where on your body?"), purpose="consult")
        )
        await eventually(lambda: graph.messages(CLIENT), timeout=30)
        campaign_sent_before_reply = sum(1 for wa_id in AUDIENCE if graph.messages(wa_id))

    assert campaign_sent_before_reply < len(AUDIENCE) // 2, "the reply did not wait for the campaign"
