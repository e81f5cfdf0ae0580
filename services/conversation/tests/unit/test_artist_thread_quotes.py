"""While the artist has the chat, each client message reaches them quoting the thread about that client.

The in-memory studio drives the real journey; the artist's chat holds one earlier message about the lead.
"""

from __future__ import annotations

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.testing.studio import ARTIST, Studio


def _forwarded(studio: Studio) -> list[TextContent]:
    sends: list[SendMessage] = studio.published(subjects.NOTIFY_SEND)
    contents = [
        send.content for send in sends if send.to == ARTIST and send.purpose == "artist_forwarded_message"
    ]
    assert all(isinstance(content, TextContent) for content in contents)
    return [content for content in contents if isinstance(content, TextContent)]


async def test_a_client_message_forwarded_to_the_artist_quotes_the_last_message_about_that_client() -> None:
    studio = Studio()
    studio.lead.status = LeadStatus.NEEDS_ARTIST.value
    studio.store.artist_threads[studio.lead.id] = "wamid.handover-packet"

    await studio.say("can it be in colour?")

    [forwarded] = _forwarded(studio)
    assert forwarded.body.startswith("*Sam:* can it be in colour?")
    assert forwarded.reply_to == "wamid.handover-packet"


async def test_with_nothing_about_the_client_in_the_artists_chat_yet_the_message_quotes_nothing() -> None:
    studio = Studio()
    studio.lead.status = LeadStatus.NEEDS_ARTIST.value

    await studio.say("hello?")

    [forwarded] = _forwarded(studio)
    assert forwarded.reply_to is None
