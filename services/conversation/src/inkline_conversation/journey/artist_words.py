"""The artist's own words to the business number: a reply for a client, or "bot" to hand the chat back.

A swipe-reply (Meta's `context.id`) to a summary, an alert or a forwarded message goes to the client that
message was about; an unquoted one to the last client the artist handled, and Inkline says so. The reply
(words, a picture, a voice note, a video or a document) leaves the business number, so the client keeps
one chat, its history and its 24-hour window (journey/artist_relay.py).
"""

from __future__ import annotations

import uuid

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage
from inkline_conversation.db.artist_inbound import last_handled_lead, lead_of_thread
from inkline_conversation.db.models import ArtistMessage
from inkline_conversation.domain.artist_text import one_line
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import messages
from inkline_conversation.journey.artist_relay import artist_media, relay
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.handover import resume_bot
from inkline_conversation.journey.repositories import Repositories
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWork

HAND_BACK_WORDS = frozenset({"bot", "hand back", "handback"})


def is_hand_back(text: str | None) -> bool:
    return text is not None and one_line(text).casefold().rstrip(".!") in HAND_BACK_WORDS


async def which_lead(work: UnitOfWork, row: ArtistMessage) -> tuple[uuid.UUID | None, bool]:
    """The client the artist means, and whether they said so by quoting a message about them."""
    if row.reply_to_wamid:
        quoted = await lead_of_thread(work.session, row.reply_to_wamid)
        if quoted is not None:
            return quoted, True
    return await last_handled_lead(work.session), False


async def on_artist_words(
    work: UnitOfWork,
    repos: Repositories,
    config: JourneyConfig,
    row: ArtistMessage,
    *,
    tell_artist: TellArtist,
) -> None:
    copy = config.artist_copy
    lead_id, quoted = await which_lead(work, row)
    if lead_id is None:
        tell_artist(copy.render("artist_words.not_sure_who"), None)
        return
    turn = await open_turn(work, repos, config, lead_id, causation_id=None)
    if turn is None:
        tell_artist(copy.render("artist_words.not_sure_who"), None)
        return
    row.lead_id = lead_id
    if is_hand_back(row.text):
        if turn.status is LeadStatus.NEEDS_ARTIST:
            tell_artist(resume_bot(turn), lead_id)
        else:
            tell_artist(copy.render("artist_words.already_assisted", name=turn.client_name), lead_id)
        return
    media = artist_media(row.raw) if row.kind == "media" else None
    if media is None and (row.kind != "text" or not row.text):
        tell_artist(copy.render("artist_words.only_words"), lead_id)
        return
    if await relay(turn, row.text, media):
        # Outside the client's window: the artist should know not all of it has reached them yet.
        held = "artist_words.held_media" if media else "artist_words.held_rest"
        tell_artist(copy.render(held, name=turn.client_name), lead_id)
    if not quoted:
        tell_artist(copy.render("artist_words.sent_to_last", name=turn.client_name), lead_id)


class TellArtist:
    """Queues a short answer to the artist (the lead it is about, when known, correlates it)."""

    def __init__(self, work: UnitOfWork, config: JourneyConfig) -> None:
        self._work = work
        self._config = config

    def __call__(self, body: str, lead_id: uuid.UUID | None) -> None:
        self._work.publish(
            subjects.NOTIFY_SEND,
            SendMessage(
                to=self._config.settings.artist_whatsapp_number,
                content=messages.text(body),
                purpose="artist_answer",
            ),
            correlation_id=str(lead_id) if lead_id else "artist",
        )
