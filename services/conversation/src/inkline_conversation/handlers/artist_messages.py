"""NATS handlers for the artist's side: what the artist sent us, and which of our messages reached them."""

from __future__ import annotations

import uuid

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.artist import ArtistMessageReceived
from inkline_contracts.events.notify import MessageSent
from inkline_conversation.db.artist_inbound import lead_exists, lock_artist_message, record_thread
from inkline_conversation.journey.artist_taps import Executor, run_tap, token_of
from inkline_conversation.journey.artist_words import TellArtist, on_artist_words
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)


class ArtistMessageHandler:
    """Runs the artist's tap on one of our buttons, or takes their words to the client they are about."""

    def __init__(
        self,
        config: JourneyConfig,
        repositories: RepositoriesOf,
        *,
        uow: UnitOfWorkFactory,
        executor: Executor,
    ) -> None:
        self._config = config
        self._repositories = repositories
        self._uow = uow
        self._executor = executor

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ArtistMessageReceived]) -> None:
        row = await lock_artist_message(work.session, envelope.payload.whatsapp_message_id)
        if row is None or row.processed_at is not None:
            return
        now = self._config.clock()
        row.processed_at = now
        repos = self._repositories(work)
        # Answered in the language the artist last saved in the studio, as every turn is.
        config = self._config.with_artist_settings(await repos.artist_settings.current())
        tell_artist = TellArtist(work, config)
        token = token_of(row.text) if row.kind == "interactive" else None
        if token is not None:
            # Its own unit of work, as the action link's POST: a refusal rolls the action back, not this.
            outcome = await run_tap(
                self._uow, self._executor, token, now=now, zone=config.tz, copy=config.artist_copy
            )
            row.lead_id = outcome.lead_id
            tell_artist(outcome.answer, outcome.lead_id)
            return
        await on_artist_words(work, repos, config, row, tell_artist=tell_artist)


class ArtistThreadHandler:
    """Remembers which of our messages about a lead reached the artist, so a swipe-reply finds the lead."""

    def __init__(self, config: JourneyConfig) -> None:
        self._config = config

    def wants(self, envelope: Envelope[MessageSent]) -> bool:
        """Only sends to the artist: every reply to a client and every campaign send is a `message.sent`
        too, and those are acknowledged without a transaction (see `ServiceRuntime.consume`)."""
        return envelope.payload.to == self._config.settings.artist_whatsapp_number

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageSent]) -> None:
        sent = envelope.payload
        if not self.wants(envelope):
            return
        try:
            lead_id = uuid.UUID(envelope.correlation_id)
        except ValueError:
            return  # not about one lead (a digest, an answer to the artist)
        if not await lead_exists(work.session, lead_id):
            return
        await record_thread(work.session, wamid=sent.wamid, lead_id=lead_id, purpose=sent.purpose)
