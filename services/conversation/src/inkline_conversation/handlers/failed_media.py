"""The artist is told when their picture (voice note, video, document) could not be passed on to a client.

The notifier uploads what the artist sent before sending it on; when that cannot be done (the file is over
WhatsApp's size for its kind, or WhatsApp no longer has it) it gives the message up with a `media_...`
reason in `message.failed`, correlated with the lead, and the artist hears it here.
"""

from __future__ import annotations

import uuid

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import MessageFailed
from inkline_conversation.journey.artist_words import TellArtist
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWork

# The notifier's reasons for media it could not pass on (adapters/media_transfer.py there).
MEDIA_FAILURES = frozenset(
    {"media_too_large", "media_unavailable", "media_rejected", "media_transfer_failed"}
)


class MediaNotPassedOnHandler:
    """`message.failed` for the artist's media → the artist hears it could not be passed on."""

    def __init__(self, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._config = config
        self._repositories = repositories

    def wants(self, envelope: Envelope[MessageFailed]) -> bool:
        """Only media that failed: every other failed send is acknowledged without a transaction."""
        return envelope.payload.reason in MEDIA_FAILURES

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageFailed]) -> None:
        if not self.wants(envelope):
            return
        try:
            lead_id = uuid.UUID(envelope.correlation_id)
        except ValueError:
            return  # not about one lead
        turn = await open_turn(
            work, self._repositories(work), self._config, lead_id, causation_id=envelope.message_id
        )
        if turn is None:
            return
        key = "too_large" if envelope.payload.reason == "media_too_large" else "not_sent"
        words = turn.config.artist_copy.render(f"artist_words.media_{key}", name=turn.client_name)
        TellArtist(work, turn.config)(words, lead_id)
