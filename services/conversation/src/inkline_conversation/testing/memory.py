"""The conversation service in memory, for unit tests of the journey: its repositories on plain objects
inside one in-memory unit of work (inkline_platform.testing), so a test drives the real handlers with no
PostgreSQL and no NATS. db/repositories.py is the SQL twin; the component tests keep proving it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from inkline_conversation.db.models import (
    ActionToken,
    Contact,
    InboundMessage,
    Lead,
    ReferenceMedia,
    ScheduledMessage,
)
from inkline_conversation.domain.action_tokens import hash_token, new_token
from inkline_conversation.domain.appointment_plan import PlannedMessage
from inkline_conversation.domain.artist_settings import ArtistSettings
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.repositories import Pending, Repositories
from inkline_platform.testing import InMemoryUnitOfWork
from inkline_platform.uow import UnitOfWork


class MemoryLeads:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    async def lock(self, lead_id: uuid.UUID) -> Lead | None:
        # One test drives one handler at a time: nothing to wait for.
        return self._store.leads.get(lead_id)

    async def contact(self, wa_id: str) -> Contact | None:
        return self._store.contacts.get(wa_id)

    async def waitlisted_in(self, city: str) -> list[uuid.UUID]:
        return [
            lead.id
            for lead in self._store.leads.values()
            if lead.status == LeadStatus.WAITLISTED.value
            and str((lead.qualified or {}).get("city", "")).lower() == city.lower()
        ]

    async def silent_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        wanted = set(statuses)
        return [
            lead.id
            for lead in self._store.leads.values()
            if lead.status in wanted and lead.last_inbound_at is not None and lead.last_inbound_at < before
        ][:limit]

    async def undecided_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        wanted = set(statuses)
        return [
            lead.id
            for lead in self._store.leads.values()
            if lead.status in wanted and lead.status_changed_at < before and lead.artist_reminded_at is None
        ][:limit]


class MemoryInboundMessages:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    def _of(self, lead_id: uuid.UUID) -> list[InboundMessage]:
        return [row for row in self._store.inbound if row.lead_id == lead_id]

    async def pending(self, lead_id: uuid.UUID, *, received_since: datetime) -> Pending:
        lately = sum(1 for row in self._of(lead_id) if row.received_at > received_since)
        return Pending(await self.unprocessed(lead_id), lately)

    async def unprocessed(self, lead_id: uuid.UUID) -> Sequence[InboundMessage]:
        rows = [row for row in self._of(lead_id) if row.processed_at is None]
        return sorted(rows, key=lambda row: (row.sent_at, row.received_at, row.wamid))

    async def latest(self, lead_id: uuid.UUID, limit: int) -> Sequence[InboundMessage]:
        rows = sorted(self._of(lead_id), key=lambda row: (row.sent_at, row.received_at), reverse=True)
        return rows[:limit]

    async def leads_quiet_with_unprocessed(self, quiet_since: datetime, limit: int) -> list[uuid.UUID]:
        pending = {row.lead_id for row in self._store.inbound if row.processed_at is None}
        quiet = [
            lead_id for lead_id in pending if max(row.received_at for row in self._of(lead_id)) < quiet_since
        ]
        return quiet[:limit]


class MemoryScheduledMessages:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    def _live(self, booking_id: uuid.UUID) -> list[ScheduledMessage]:
        return [
            row for row in self._store.scheduled if row.booking_id == booking_id and row.superseded_at is None
        ]

    async def plan(
        self, lead_id: uuid.UUID, booking_id: uuid.UUID, planned: Iterable[PlannedMessage]
    ) -> None:
        for message in planned:
            if any(row.kind == message.kind.value for row in self._live(booking_id)):
                continue  # the live plan is unique per kind (the SQL's partial unique index)
            self._store.scheduled.append(
                ScheduledMessage(
                    id=uuid.uuid4(),
                    lead_id=lead_id,
                    booking_id=booking_id,
                    kind=message.kind.value,
                    due_at=message.due_at,
                    sent_at=None,
                    cancelled_at=None,
                    superseded_at=None,
                )
            )

    async def supersede(self, booking_id: uuid.UUID, now: datetime) -> None:
        for row in self._live(booking_id):
            row.superseded_at = now
            if row.sent_at is None and row.cancelled_at is None:
                row.cancelled_at = now

    async def cancel_pending(self, booking_id: uuid.UUID, now: datetime) -> int:
        pending = [
            row
            for row in self._store.scheduled
            if row.booking_id == booking_id and row.sent_at is None and row.cancelled_at is None
        ]
        for row in pending:
            row.cancelled_at = now
        return len(pending)

    async def was_sent(self, lead_id: uuid.UUID, kind: str) -> bool:
        return any(
            row.lead_id == lead_id and row.kind == kind and row.sent_at is not None
            for row in self._store.scheduled
        )

    async def due(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        due = sorted(
            (
                row
                for row in self._store.scheduled
                if row.due_at <= now and row.sent_at is None and row.cancelled_at is None
            ),
            key=lambda row: row.due_at,
        )
        return [(row.id, row.lead_id) for row in due[:limit]]

    async def lock_unsent(self, message_id: uuid.UUID) -> ScheduledMessage | None:
        return next(
            (
                row
                for row in self._store.scheduled
                if row.id == message_id and row.sent_at is None and row.cancelled_at is None
            ),
            None,
        )


class MemoryActionLinks:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    async def issue(
        self,
        lead_id: uuid.UUID,
        actions: Iterable[ActionKind],
        *,
        now: datetime,
        ttl: timedelta,
        base_url: str,
    ) -> dict[ActionKind, str]:
        links: dict[ActionKind, str] = {}
        for action in actions:
            token = new_token()
            self._store.action_tokens.append(
                ActionToken(
                    token_hash=hash_token(token),
                    lead_id=lead_id,
                    action=action.value,
                    created_at=now,
                    expires_at=now + ttl,
                    used_at=None,
                )
            )
            links[action] = f"{base_url.rstrip('/')}/actions/{token}"
        return links


class MemoryReferenceMedia:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    async def add_pending(
        self, *, lead_id: uuid.UUID, wamid: str, media_id: str, mime_type: str | None, sha256: str | None
    ) -> None:
        self._store.media.setdefault(
            media_id,
            ReferenceMedia(
                media_id=media_id,
                lead_id=lead_id,
                wamid=wamid,
                mime_type=mime_type,
                sha256=sha256,
                status="pending",
                attempts=0,
            ),
        )


class MemoryArtistInbox:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    async def last_wrote(self) -> datetime | None:
        return self._store.artist_last_wrote

    async def latest_thread(self, lead_id: uuid.UUID) -> str | None:
        return self._store.artist_threads.get(lead_id)


class MemoryArtistSettings:
    def __init__(self, store: InMemoryConversation) -> None:
        self._store = store

    async def current(self) -> ArtistSettings | None:
        return self._store.artist_settings


class InMemoryConversation(InMemoryUnitOfWork):
    """The unit of work and every table the journey uses, as plain objects a test can read and seed."""

    def __init__(self) -> None:
        super().__init__()
        self.contacts: dict[str, Contact] = {}
        self.leads: dict[uuid.UUID, Lead] = {}
        self.inbound: list[InboundMessage] = []
        self.scheduled: list[ScheduledMessage] = []
        self.action_tokens: list[ActionToken] = []
        self.media: dict[str, ReferenceMedia] = {}
        # When the artist last wrote to the business number (None: their window is closed).
        self.artist_last_wrote: datetime | None = None
        # The newest message the artist got about each lead, by its wamid (artist_threads).
        self.artist_threads: dict[uuid.UUID, str] = {}
        # What the artist saved in the studio (None: the environment's defaults).
        self.artist_settings: ArtistSettings | None = None
        self._repositories = Repositories(
            leads=MemoryLeads(self),
            inbound=MemoryInboundMessages(self),
            scheduled=MemoryScheduledMessages(self),
            action_links=MemoryActionLinks(self),
            media=MemoryReferenceMedia(self),
            artist=MemoryArtistInbox(self),
            artist_settings=MemoryArtistSettings(self),
        )

    def repositories(self, work: UnitOfWork) -> Repositories:
        """The RepositoriesOf a handler is built with; every transaction sees the same store."""
        return self._repositories

    def add_lead(
        self, wa_id: str, status: LeadStatus, *, now: datetime, name: str | None = None, **fields: Any
    ) -> Lead:
        """A lead (and its contact) with the columns' defaults, as the webhook would have created it."""
        self.contacts.setdefault(
            wa_id, Contact(wa_id=wa_id, profile_name=name, opted_out=False, created_at=now)
        )
        columns: dict[str, Any] = {
            "language": "en",
            "consultation": {},
            "slot_strikes": 0,
            "reminders_sent": 0,
            "reschedules_used": 0,
            "created_at": now,
            "updated_at": now,
            "status_changed_at": now,
        }
        lead = Lead(id=uuid.uuid4(), wa_id=wa_id, status=status.value, **(columns | fields))
        self.leads[lead.id] = lead
        return lead

    def add_inbound(
        self, lead: Lead, raw: dict[str, Any], *, kind: str, text: str | None, sent_at: datetime
    ) -> InboundMessage:
        """A message as the webhook stores it (db/inbound.py): `raw` is Meta's message object."""
        row = InboundMessage(
            wamid=str(raw["id"]),
            lead_id=lead.id,
            wa_id=lead.wa_id,
            kind=kind,
            text=text,
            sent_at=sent_at,
            received_at=sent_at,
            raw=raw,
            processed_at=None,
        )
        self.inbound.append(row)
        return row
