"""The artist's reply on its way to the client from the business number: words, a picture, a voice note.

Inside the client's 24-hour window it goes as it is. Outside it only an approved template may go
("Rowan replied: {{2}}"): it carries as much of the words as fits, or says a picture is waiting, and the
rest (or the media) is held on the lead and goes as soon as the client writes again (`send_held`, called
when the client's messages are handled, journey/inbox.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Literal, cast

from pydantic import TypeAdapter

from inkline_contracts.events.notify import Content, MediaAttachment, TemplateContent, TextContent
from inkline_conversation.domain.statuses import LeadStatus, can_transition
from inkline_conversation.journey import messages
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.turn import LeadTurn

# Meta lets a business write freely only this long after the client's last message.
CLIENT_WINDOW = timedelta(hours=24)
ARTIST_REPLY = "artist_reply"
MediaType = Literal["image", "audio", "video", "document"]
_MEDIA_TYPES: frozenset[str] = frozenset({"image", "audio", "video", "document"})
_CONTENT: TypeAdapter[Content] = TypeAdapter(Content)
_WHITESPACE = re.compile(r"\s")


def artist_media(raw: dict[str, Any]) -> MediaAttachment | None:
    """The picture, voice note, video or document in the artist's stored message (Meta's webhook fields),
    or None for anything else (a sticker, a location)."""
    kind = raw.get("type")
    body = raw.get(kind) if isinstance(kind, str) else None
    if kind not in _MEDIA_TYPES or not isinstance(body, dict) or not body.get("id"):
        return None
    caption, filename = body.get("caption"), body.get("filename")
    return MediaAttachment(
        type=cast(MediaType, kind),
        id=str(body["id"]),
        caption=caption if isinstance(caption, str) and caption and kind != "audio" else None,
        filename=filename if isinstance(filename, str) and filename else None,
    )


def window_open(turn: LeadTurn) -> bool:
    last = turn.lead.last_inbound_at
    return last is not None and turn.now - last < CLIENT_WINDOW


async def relay(turn: LeadTurn, text: str | None, media: MediaAttachment | None = None) -> bool:
    """The artist's words (or media, with its caption) to the client; the chat stays with the artist.

    True when part of it is held until the client writes again (the artist should be told).
    """
    if turn.status is not LeadStatus.NEEDS_ARTIST and can_transition(turn.status, LeadStatus.NEEDS_ARTIST):
        await hand_over(turn, reason="artist_replied", packet=False)
    copy = turn.config.copy(turn.lead.language)
    if media is not None:
        # What stands for the media in words: the lead's thread shows it, and a template would carry it.
        noun = copy.render(f"artist_reply.{media.type}")
        in_words = messages.one_line(f"{noun}: {media.caption}" if media.caption else noun)
        content = TextContent(body=in_words, media=media)
        if window_open(turn):
            turn.send(content, purpose=ARTIST_REPLY)
            return False
        ending = " " if in_words.endswith((".", "!", "?")) else ". "
        _template(turn, f"{in_words}{ending}{copy.render('artist_reply.waiting')}")
        _hold(turn, content)
        return True
    words = text or ""
    if window_open(turn):
        turn.send(messages.text(words), purpose=ARTIST_REPLY)
        return False
    more = copy.render("artist_reply.more")
    first, rest = _split(words, messages.TEMPLATE_ROOM - len(more) - 1)
    if not rest:
        _template(turn, first)
        return False
    _template(turn, f"{messages.one_line(first)}… {more}")
    _hold(turn, messages.text(f"…{rest}"))
    return True


def _template(turn: LeadTurn, words: str) -> None:
    """Outside the client's window only an approved template may go: "Rowan replied: {{2}}"."""
    turn.send(
        TemplateContent(
            name=turn.config.settings.artist_reply_template,
            language=turn.lead.language,
            body_parameters=[turn.config.artist_name, messages.template_parameter(words)],
        ),
        purpose=ARTIST_REPLY,
    )


def _split(text: str, room: int) -> tuple[str, str]:
    """`text` as a first part whose one line fits `room`, cut between words, and the rest ("" if none)."""
    if len(messages.one_line(text)) <= room:
        return text, ""
    cut = room
    while cut > 0 and len(messages.one_line(text[:cut])) > room:
        # Each line break becomes " · " (two characters more), so a cut at `room` may still run over.
        cut -= max(1, len(messages.one_line(text[:cut])) - room)
    space = max((m.start() for m in _WHITESPACE.finditer(text, 0, cut)), default=cut)
    return text[:space].rstrip(), text[space:].strip()


def _hold(turn: LeadTurn, content: Content) -> None:
    held = list(turn.lead.held_for_client or [])
    held.append({"content": content.model_dump(mode="json"), "purpose": ARTIST_REPLY})
    turn.lead.held_for_client = held


def send_held(turn: LeadTurn) -> None:
    """The client wrote: what the artist sent while their window was closed goes now, in order."""
    held, turn.lead.held_for_client = turn.lead.held_for_client, None
    for item in held or []:
        turn.send(_CONTENT.validate_python(item["content"]), purpose=str(item["purpose"]))
