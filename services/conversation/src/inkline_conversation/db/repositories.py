"""The journey's repositories (journey/repositories.py) on PostgreSQL, all on one unit of work's session."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.db.action_tokens import issue_action_links
from inkline_conversation.db.artist_inbound import artist_last_wrote, latest_thread
from inkline_conversation.db.artist_settings import LATEST_VERSION_ID, SqlArtistSettings, note_latest_version
from inkline_conversation.db.models import Contact, InboundMessage, Lead, ScheduledMessage
from inkline_conversation.db.reference_media import record_pending_media
from inkline_conversation.domain.appointment_plan import PlannedMessage
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.repositories import Pending, Repositories
from inkline_platform.uow import UnitOfWork


class SqlLeads:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # The contacts `lock` loaded: the session's identity map holds its objects weakly, so they are
        # kept here for `contact` to find without a statement.
        self._locked_contacts: dict[str, Contact] = {}

    async def lock(self, lead_id: uuid.UUID) -> Lead | None:
        # One round trip for what every turn reads first: the lead (locked), its contact (not locked) and
        # the id of the artist's newest saved settings, so `contact` and `artist_settings.current` that
        # follow in this transaction need no statement of their own.
        found = (
            await self._session.execute(
                select(Lead, Contact, LATEST_VERSION_ID.label("settings_version"))
                .join(Contact, Contact.wa_id == Lead.wa_id)
                .where(Lead.id == lead_id)
                .with_for_update(of=Lead)
            )
        ).first()
        if found is None:
            return None
        lead: Lead = found[0]
        contact: Contact = found[1]
        self._locked_contacts[contact.wa_id] = contact
        note_latest_version(self._session, found.settings_version)
        return lead

    async def contact(self, wa_id: str) -> Contact | None:
        known = self._locked_contacts.get(wa_id)
        if known is not None:
            return known
        return await self._session.scalar(select(Contact).where(Contact.wa_id == wa_id))

    async def waitlisted_in(self, city: str) -> list[uuid.UUID]:
        found = await self._session.scalars(
            select(Lead.id).where(
                Lead.status == LeadStatus.WAITLISTED.value,
                func.lower(Lead.qualified["city"].as_string()) == city.lower(),
            )
        )
        return list(found.all())

    async def silent_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        found = await self._session.scalars(
            select(Lead.id)
            .where(Lead.status.in_(tuple(statuses)), Lead.last_inbound_at < before)
            .limit(limit)
        )
        return list(found.all())

    async def undecided_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        found = await self._session.scalars(
            select(Lead.id)
            .where(
                Lead.status.in_(tuple(statuses)),
                Lead.status_changed_at < before,
                Lead.artist_reminded_at.is_(None),
            )
            .limit(limit)
        )
        return list(found.all())


_SENT_ORDER = (InboundMessage.sent_at, InboundMessage.received_at, InboundMessage.wamid)


def _unprocessed_of(lead_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(InboundMessage.lead_id == lead_id, InboundMessage.processed_at.is_(None))


class SqlInboundMessages:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pending(self, lead_id: uuid.UUID, *, received_since: datetime) -> Pending:
        # One round trip: the count is a one-row subquery that the unprocessed messages are outer-joined
        # to, so it comes back (with a single None message) even when nothing is left to handle.
        lately = (
            select(func.count().label("received"))
            .select_from(InboundMessage)
            .where(InboundMessage.lead_id == lead_id, InboundMessage.received_at > received_since)
            .subquery()
        )
        rows = (
            await self._session.execute(
                select(lately.c.received, InboundMessage)
                .select_from(lately)
                .outerjoin(InboundMessage, _unprocessed_of(lead_id))
                .order_by(*_SENT_ORDER)
            )
        ).all()
        messages = [message for _received, message in rows if message is not None]
        return Pending(messages, int(rows[0][0]))

    async def unprocessed(self, lead_id: uuid.UUID) -> Sequence[InboundMessage]:
        rows = await self._session.scalars(
            select(InboundMessage).where(_unprocessed_of(lead_id)).order_by(*_SENT_ORDER)
        )
        return rows.all()

    async def latest(self, lead_id: uuid.UUID, limit: int) -> Sequence[InboundMessage]:
        rows = await self._session.scalars(
            select(InboundMessage)
            .where(InboundMessage.lead_id == lead_id)
            .order_by(InboundMessage.sent_at.desc(), InboundMessage.received_at.desc())
            .limit(limit)
        )
        return rows.all()

    async def leads_quiet_with_unprocessed(self, quiet_since: datetime, limit: int) -> list[uuid.UUID]:
        found = await self._session.scalars(
            select(InboundMessage.lead_id)
            .where(InboundMessage.processed_at.is_(None))
            .group_by(InboundMessage.lead_id)
            .having(func.max(InboundMessage.received_at) < quiet_since)
            .limit(limit)
        )
        return list(found.all())


class SqlScheduledMessages:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def plan(
        self, lead_id: uuid.UUID, booking_id: uuid.UUID, planned: Iterable[PlannedMessage]
    ) -> None:
        values = [
            {
                "id": uuid.uuid4(),
                "lead_id": lead_id,
                "booking_id": booking_id,
                "kind": message.kind.value,
                "due_at": message.due_at,
            }
            for message in planned
        ]
        if not values:
            return
        await self._session.execute(
            insert(ScheduledMessage)
            .values(values)
            .on_conflict_do_nothing(
                index_elements=[ScheduledMessage.booking_id, ScheduledMessage.kind],
                index_where=ScheduledMessage.superseded_at.is_(None),
            )
        )

    async def supersede(self, booking_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(
            update(ScheduledMessage)
            .where(ScheduledMessage.booking_id == booking_id, ScheduledMessage.superseded_at.is_(None))
            .values(
                superseded_at=now,
                cancelled_at=case(
                    (ScheduledMessage.sent_at.is_(None), func.coalesce(ScheduledMessage.cancelled_at, now)),
                    else_=ScheduledMessage.cancelled_at,
                ),
            )
        )

    async def cancel_pending(self, booking_id: uuid.UUID, now: datetime) -> int:
        result = await self._session.execute(
            update(ScheduledMessage)
            .where(
                ScheduledMessage.booking_id == booking_id,
                ScheduledMessage.sent_at.is_(None),
                ScheduledMessage.cancelled_at.is_(None),
            )
            .values(cancelled_at=now)
            .returning(ScheduledMessage.id)
        )
        return len(result.all())

    async def was_sent(self, lead_id: uuid.UUID, kind: str) -> bool:
        found = await self._session.scalar(
            select(ScheduledMessage.id).where(
                ScheduledMessage.lead_id == lead_id,
                ScheduledMessage.kind == kind,
                ScheduledMessage.sent_at.is_not(None),
            )
        )
        return found is not None

    async def due(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        rows = await self._session.execute(
            select(ScheduledMessage.id, ScheduledMessage.lead_id)
            .where(
                ScheduledMessage.due_at <= now,
                ScheduledMessage.sent_at.is_(None),
                ScheduledMessage.cancelled_at.is_(None),
            )
            .order_by(ScheduledMessage.due_at)
            .limit(limit)
        )
        return [(message_id, lead_id) for message_id, lead_id in rows.all()]

    async def lock_unsent(self, message_id: uuid.UUID) -> ScheduledMessage | None:
        return await self._session.scalar(
            select(ScheduledMessage)
            .where(
                ScheduledMessage.id == message_id,
                ScheduledMessage.sent_at.is_(None),
                ScheduledMessage.cancelled_at.is_(None),
            )
            .with_for_update(skip_locked=True)
        )


class SqlActionLinks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def issue(
        self,
        lead_id: uuid.UUID,
        actions: Iterable[ActionKind],
        *,
        now: datetime,
        ttl: timedelta,
        base_url: str,
    ) -> dict[ActionKind, str]:
        return await issue_action_links(
            self._session, lead_id=lead_id, actions=actions, now=now, ttl=ttl, base_url=base_url
        )


class SqlReferenceMedia:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_pending(
        self, *, lead_id: uuid.UUID, wamid: str, media_id: str, mime_type: str | None, sha256: str | None
    ) -> None:
        await record_pending_media(
            self._session, lead_id=lead_id, wamid=wamid, media_id=media_id, mime_type=mime_type, sha256=sha256
        )


class SqlArtistInbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def last_wrote(self) -> datetime | None:
        return await artist_last_wrote(self._session)

    async def latest_thread(self, lead_id: uuid.UUID) -> str | None:
        return await latest_thread(self._session, lead_id)


def sql_repositories(work: UnitOfWork) -> Repositories:
    """The repositories on the unit of work's own session (one transaction with its messages)."""
    session = work.session
    return Repositories(
        leads=SqlLeads(session),
        inbound=SqlInboundMessages(session),
        scheduled=SqlScheduledMessages(session),
        action_links=SqlActionLinks(session),
        media=SqlReferenceMedia(session),
        artist=SqlArtistInbox(session),
        artist_settings=SqlArtistSettings(session),
    )
