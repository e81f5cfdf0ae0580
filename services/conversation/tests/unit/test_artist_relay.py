"""The artist's reply reaches the client from the business number: words, a picture, a voice note; outside
the client's 24-hour window the approved template goes now and what it cannot carry when the client answers.

The in-memory studio drives the real journey (the relay, then the client's next message through the inbox).
"""

from __future__ import annotations

from datetime import timedelta

from inkline_contracts import subjects
from inkline_contracts.events.notify import MediaAttachment, SendMessage, TemplateContent, TextContent
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.artist_relay import artist_media, relay
from inkline_conversation.journey.turn import open_turn
from inkline_conversation.testing.studio import Studio

LONG_REPLY = "\n".join(
    f"Point {number}: the linework on the stem needs a little more room, so the session may run long."
    for number in range(1, 26)
)


def _replies(studio: Studio) -> list[SendMessage]:
    sends: list[SendMessage] = studio.published(subjects.NOTIFY_SEND)
    return [send for send in sends if send.to == studio.wa_id and send.purpose == "artist_reply"]


async def _artist_sends(studio: Studio, text: str | None, media: MediaAttachment | None = None) -> bool:
    """The artist's reply to the studio's client, as the artist-message handler relays it."""
    async with studio.store() as work:
        turn = await open_turn(
            work, studio.store.repositories(work), studio.config, studio.lead.id, causation_id=None
        )
        assert turn is not None
        held = await relay(turn, text, media)
        await work.commit()
    return held


def _quiet_for_two_days(studio: Studio) -> None:
    studio.lead.status = LeadStatus.NEEDS_ARTIST.value
    studio.lead.last_inbound_at = studio.clock() - timedelta(days=2)


async def test_a_long_reply_outside_the_clients_window_sends_its_start_now_and_the_rest_when_they_answer() -> (
    None
):
    studio = Studio()
    _quiet_for_two_days(studio)

    held = await _artist_sends(studio, LONG_REPLY)

    [template] = _replies(studio)
    assert held, "the artist is told the rest is waiting"
    assert isinstance(template.content, TemplateContent)
    artist_name, start = template.content.body_parameters
    assert start.startswith("Point 1: the linework")
    assert start.endswith("… (Reply here to read the rest.)")
    assert len(start) <= 1024 - len(artist_name) - len("replied: ")

    await studio.say("ok, tell me more")

    [_, rest] = _replies(studio)
    assert isinstance(rest.content, TextContent)
    assert rest.content.body.startswith("…")
    assert rest.content.body.endswith(
        "Point 25: the linework on the stem needs a little more room, so the session may run long."
    )
    shown = start.removesuffix("… (Reply here to read the rest.)").replace(" · ", " ")
    assert " ".join(f"{shown} {rest.content.body.removeprefix('…')}".split()) == " ".join(
        LONG_REPLY.split()
    ), "nothing lost between the two parts"
    assert studio.lead.held_for_client is None, "sent once"


async def test_a_short_reply_outside_the_clients_window_goes_whole_in_the_template() -> None:
    studio = Studio()
    _quiet_for_two_days(studio)

    held = await _artist_sends(studio, "Hi Sam, shall we do a call?")

    [template] = _replies(studio)
    assert not held
    assert isinstance(template.content, TemplateContent)
    assert template.content.body_parameters[1] == "Hi Sam, shall we do a call?"
    assert studio.lead.held_for_client is None


async def test_a_voice_note_outside_the_clients_window_is_announced_and_follows_their_answer() -> None:
    studio = Studio()
    _quiet_for_two_days(studio)
    voice = MediaAttachment(type="audio", id="1013859600285441")

    held = await _artist_sends(studio, None, voice)

    [template] = _replies(studio)
    assert held
    assert isinstance(template.content, TemplateContent)
    assert template.content.body_parameters[1] == "a voice note. Reply here and it will come through."

    await studio.say("hi!")

    [_, sent] = _replies(studio)
    assert isinstance(sent.content, TextContent)
    assert sent.content.media == voice, "the voice note itself, by the id WhatsApp gave it"
    assert sent.content.body == "a voice note", "what the lead's thread shows of it"


async def test_inside_the_clients_window_a_picture_goes_at_once_with_its_caption() -> None:
    studio = Studio()
    await studio.say("can I see the stencil?")
    studio.lead.status = LeadStatus.NEEDS_ARTIST.value
    picture = MediaAttachment(type="image", id="55", caption="the stencil")

    held = await _artist_sends(studio, "the stencil", picture)

    [sent] = _replies(studio)
    assert not held
    assert isinstance(sent.content, TextContent)
    assert sent.content.media == picture
    assert sent.content.body == "a picture: the stencil"


def test_the_artists_picture_voice_note_or_document_is_read_from_metas_webhook_fields() -> None:
    image = {"type": "image", "image": {"id": "1", "caption": "stencil", "mime_type": "image/jpeg"}}
    voice = {"type": "audio", "audio": {"id": "2", "voice": True}}
    document = {"type": "document", "document": {"id": "3", "filename": "aftercare.pdf"}}

    assert artist_media(image) == MediaAttachment(type="image", id="1", caption="stencil")
    assert artist_media(voice) == MediaAttachment(type="audio", id="2")
    assert artist_media(document) == MediaAttachment(type="document", id="3", filename="aftercare.pdf")
    assert artist_media({"type": "sticker", "sticker": {"id": "4"}}) is None
    assert artist_media({"type": "image", "image": {}}) is None
