"""While the artist has a client's chat: one reminder to the artist, and a holding answer to the client.

A client the artist has not answered since their last message gets, once per unanswered stretch:
- the artist a reminder after ARTIST_NUDGE_HOURS, but only inside the artist's working hours;
- a short "they have your message" after ARTIST_HOLDING_REPLY_HOURS, so no one waits a day in silence
  (and it goes before the client's 24-hour window closes).
Each lead in its own transaction under its row lock, the marks set with the send: a pass can repeat.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import and_, func, or_, select

from inkline_conversation.db.models import ArtistMessage, Lead
from inkline_conversation.domain.artist_text import fit
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import LeadTurn, open_turn
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class ArtistChats:
    def __init__(self, uow: UnitOfWorkFactory, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._uow = uow
        self._config = config
        self._repositories = repositories

    async def run(self) -> None:
        now = self._config.clock()
        for lead_id in await self._waiting(now):
            async with self._uow() as work:
                turn = await open_turn(
                    work, self._repositories(work), self._config, lead_id, causation_id=None
                )
                if turn is not None and await self._still_waiting(turn):
                    self._remind(turn)
                await work.commit()

    async def _waiting(self, now: datetime) -> list[uuid.UUID]:
        settings = self._config.settings
        nudge_due = and_(
            Lead.last_inbound_at < now - timedelta(hours=settings.artist_nudge_hours),
            or_(Lead.artist_nudged_at.is_(None), Lead.artist_nudged_at < Lead.last_inbound_at),
        )
        holding_due = and_(
            Lead.last_inbound_at < now - timedelta(hours=settings.artist_holding_reply_hours),
            or_(Lead.holding_reply_at.is_(None), Lead.holding_reply_at < Lead.last_inbound_at),
        )
        answered_since = select(ArtistMessage.wamid).where(
            ArtistMessage.lead_id == Lead.id, ArtistMessage.sent_at >= Lead.last_inbound_at
        )
        async with self._uow() as work:
            return list(
                (
                    await work.session.scalars(
                        select(Lead.id)
                        .where(
                            Lead.status == LeadStatus.NEEDS_ARTIST.value,
                            or_(nudge_due, holding_due),
                            ~answered_since.exists(),
                        )
                        .limit(100)
                    )
                ).all()
            )

    async def _still_waiting(self, turn: LeadTurn) -> bool:
        """The client wrote after the artist's last word to them."""
        last_client = turn.lead.last_inbound_at
        if turn.status is not LeadStatus.NEEDS_ARTIST or last_client is None:
            return False
        last_artist = await turn.work.session.scalar(
            select(func.max(ArtistMessage.sent_at)).where(ArtistMessage.lead_id == turn.lead.id)
        )
        return last_artist is None or last_artist < last_client

    def _remind(self, turn: LeadTurn) -> None:
        settings = self._config.settings
        waiting = turn.now - (turn.lead.last_inbound_at or turn.now)
        nudged = turn.lead.artist_nudged_at
        if (
            waiting >= timedelta(hours=settings.artist_nudge_hours)
            and (nudged is None or nudged < (turn.lead.last_inbound_at or turn.now))
            and self._working_hours(turn.now)
        ):
            turn.lead.artist_nudged_at = turn.now
            since = (turn.lead.last_inbound_at or turn.now).astimezone(self._config.tz)
            turn.tell_artist(
                fit(
                    lambda words: turn.config.artist_copy.render(
                        "artist_nudge.waiting", time=f"{since:%H:%M}", **words
                    ),
                    {"name": turn.client_name},
                    caps={"name": 60},
                ),
                purpose="artist_nudge",
            )
        held = turn.lead.holding_reply_at
        if waiting >= timedelta(hours=settings.artist_holding_reply_hours) and (
            held is None or held < (turn.lead.last_inbound_at or turn.now)
        ):
            turn.lead.holding_reply_at = turn.now
            turn.say("handover.artist_busy", purpose="holding_reply")

    def _working_hours(self, now: datetime) -> bool:
        start, end = self._config.settings.artist_working_hours
        return start <= now.astimezone(self._config.tz).hour < end
