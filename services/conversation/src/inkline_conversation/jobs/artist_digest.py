"""The artist's daily digest, sent once during the hour they chose (ARTIST_DIGEST_HOUR, their clock)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, cast, func, select
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts import subjects
from inkline_contracts.events.notify import SendMessage
from inkline_conversation.db.artist_settings import current_artist_settings
from inkline_conversation.db.models import ArtistDigestSent, Contact, Lead
from inkline_conversation.domain.artist_digest import DigestFacts, Session, render_digest
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import messages
from inkline_conversation.journey.config import JourneyConfig
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

_DECIDING = (LeadStatus.QUALIFIED.value, LeadStatus.BELOW_MINIMUM.value)
_DAY = timedelta(days=1)


class ArtistDigest:
    def __init__(self, uow: UnitOfWorkFactory, config: JourneyConfig) -> None:
        self._uow = uow
        self._config = config

    async def run(self) -> None:
        hour = self._config.settings.artist_digest_hour
        now = self._config.clock()
        local = now.astimezone(self._config.tz)
        if hour is None or local.hour != hour:
            return
        async with self._uow() as work:
            # The day's row, claimed in the transaction that sends: one digest a day, whatever restarts.
            claimed = await work.session.scalar(
                insert(ArtistDigestSent)
                .values(day=local.date(), sent_at=now)
                .on_conflict_do_nothing(index_elements=["day"])
                .returning(ArtistDigestSent.day)
            )
            if claimed is None:
                return
            # In the language the artist last saved in the studio.
            config = self._config.with_artist_settings(await current_artist_settings(work.session))
            text = render_digest(await self._facts(work, now), config.artist_copy)
            if text is not None:
                work.publish(
                    subjects.NOTIFY_SEND,
                    SendMessage(
                        to=self._config.settings.artist_whatsapp_number,
                        content=messages.text(text),
                        purpose="artist_digest",
                    ),
                    correlation_id=f"artist-digest-{local.date().isoformat()}",
                )
            await work.commit()

    async def _facts(self, work: UnitOfWork, now: datetime) -> DigestFacts:
        zone = self._config.tz
        local = now.astimezone(zone)
        start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        session = work.session
        new_leads = await session.scalar(
            select(func.count()).select_from(Lead).where(Lead.created_at > now - _DAY)
        )
        paid = await session.scalar(
            select(func.count()).select_from(Lead).where(Lead.deposit_paid_at > now - _DAY)
        )
        name = func.coalesce(Contact.profile_name, "+" + Contact.wa_id)
        waiting = (
            await session.scalars(
                select(name)
                .select_from(Lead)
                .join(Contact, Contact.wa_id == Lead.wa_id)
                .where(Lead.status.in_(_DECIDING))
                .order_by(Lead.status_changed_at)
            )
        ).all()
        starts = cast(Lead.booking_range["start"].as_string(), DateTime(timezone=True))
        booked = (
            await session.execute(
                select(starts, name, Lead.qualified)
                .select_from(Lead)
                .join(Contact, Contact.wa_id == Lead.wa_id)
                .where(
                    Lead.status == LeadStatus.BOOKED.value,
                    starts >= start_of_day,
                    starts < start_of_day + _DAY,
                )
                .order_by(starts)
            )
        ).all()
        sessions = [
            Session(start=start.astimezone(zone), name=who, idea=str((qualified or {}).get("idea", "")))
            for start, who, qualified in booked
        ]
        return DigestFacts(
            day=local.date(),
            new_leads=int(new_leads or 0),
            waiting=list(waiting),
            sessions=sessions,
            deposits_paid=int(paid or 0),
        )
