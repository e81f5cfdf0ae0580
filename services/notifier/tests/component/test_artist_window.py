"""The artist's own messages open their 24-hour window, so summaries reach them with their buttons."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable

from inkline_contracts import subjects
from inkline_contracts.events.artist import ArtistMessageReceived
from inkline_contracts.events.consult import InboundKind
from inkline_contracts.events.notify import ButtonsContent, ReplyButton, SendMessage
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState

ARTIST = "447700900000"  # the make_settings fixture's ARTIST_WHATSAPP_NUMBER
MakeSettings = Callable[..., Awaitable[NotifierSettings]]


async def test_after_the_artist_writes_a_summary_goes_with_its_reply_buttons(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings()
    summary = SendMessage(
        to=ARTIST,
        content=ButtonsContent(
            body="New lead: Sam",
            buttons=[ReplyButton(id="act:a", title="Approve"), ReplyButton(id="act:d", title="Decline")],
        ),
        purpose="artist_lead_summary",
    )
    async with running_service(create_app(settings)):
        await bus.publish(
            subjects.ARTIST_MESSAGE_RECEIVED,
            ArtistMessageReceived(
                wa_id=ARTIST,
                whatsapp_message_id=f"wamid.artist.{uuid.uuid4().hex}",
                kind=InboundKind.TEXT,
                text="morning",
                sent_at_epoch=int(time.time()),
            ),
        )
        await bus.wait_consumed(subjects.ARTIST_MESSAGE_RECEIVED, "notifier-artist-message", count=1)
        await bus.publish(subjects.NOTIFY_SEND, summary, correlation_id=str(uuid.uuid4()))
        [message] = await eventually(lambda: graph.messages(ARTIST))

    assert message.type == "interactive", "inside the artist's window: buttons, not a template"
    assert [b["reply"]["title"] for b in message.body["action"]["buttons"]] == ["Approve", "Decline"]
