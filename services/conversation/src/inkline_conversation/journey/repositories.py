"""What the journey reads and writes, as collections (cosmicpython's repository pattern).

The journey and its handlers see only these protocols; db/repositories.py implements them on PostgreSQL
and inkline_conversation.testing in memory, so the journey's decisions are unit-tested without a database.
Each handler builds its `Repositories` on the unit of work it was given, so the repositories and the
messages it publishes share one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from inkline_conversation.db.models import Contact, InboundMessage, Lead, ScheduledMessage
from inkline_conversation.domain.appointment_plan import PlannedMessage
from inkline_conversation.domain.artist_settings import ArtistSettings
from inkline_conversation.domain.statuses import ActionKind
from inkline_platform.uow import UnitOfWork


class Leads(Protocol):
    async def lock(self, lead_id: uuid.UUID) -> Lead | None:
        """The lead, row-locked until the transaction ends (another handler of it waits)."""
        ...

    async def contact(self, wa_id: str) -> Contact | None: ...

    async def waitlisted_in(self, city: str) -> list[uuid.UUID]:
        """Waitlisted leads whose city is `city` (any case)."""
        ...

    async def silent_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        """Leads in one of `statuses` whose client last wrote before `before`."""
        ...

    async def undecided_since(self, statuses: Iterable[str], before: datetime, limit: int) -> list[uuid.UUID]:
        """Leads in one of `statuses` since before `before` whose artist has not been reminded yet."""
        ...


@dataclass(frozen=True)
class Pending:
    """A lead's messages not yet handled, in the order they were sent, and how many it sent lately."""

    messages: Sequence[InboundMessage]
    received_lately: int


class InboundMessages(Protocol):
    async def pending(self, lead_id: uuid.UUID, *, received_since: datetime) -> Pending:
        """`unprocessed`, with how many messages (handled or not) arrived after `received_since`."""
        ...

    async def unprocessed(self, lead_id: uuid.UUID) -> Sequence[InboundMessage]:
        """The lead's messages not yet handled, in the order they were sent."""
        ...

    async def latest(self, lead_id: uuid.UUID, limit: int) -> Sequence[InboundMessage]:
        """The lead's newest `limit` messages, newest first."""
        ...

    async def leads_quiet_with_unprocessed(self, quiet_since: datetime, limit: int) -> list[uuid.UUID]:
        """Leads with unprocessed messages and none received after `quiet_since`."""
        ...


class ScheduledMessages(Protocol):
    async def plan(
        self, lead_id: uuid.UUID, booking_id: uuid.UUID, planned: Iterable[PlannedMessage]
    ) -> None:
        """Store the booking's messages; a kind the booking's live plan has already is left as it is."""
        ...

    async def supersede(self, booking_id: uuid.UUID, now: datetime) -> None:
        """Retire the booking's live plan; what it had not sent is cancelled."""
        ...

    async def cancel_pending(self, booking_id: uuid.UUID, now: datetime) -> int:
        """Cancel the booking's messages not yet sent nor cancelled; how many."""
        ...

    async def was_sent(self, lead_id: uuid.UUID, kind: str) -> bool: ...

    async def due(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(message id, lead id) of the messages due by `now`, neither sent nor cancelled, oldest due first."""
        ...

    async def lock_unsent(self, message_id: uuid.UUID) -> ScheduledMessage | None:
        """The message if still unsent and uncancelled, locked; None too when another pass holds it."""
        ...


class ActionLinks(Protocol):
    async def issue(
        self,
        lead_id: uuid.UUID,
        actions: Iterable[ActionKind],
        *,
        now: datetime,
        ttl: timedelta,
        base_url: str,
    ) -> dict[ActionKind, str]:
        """A fresh single-use link per action (only its hash is stored)."""
        ...


class ReferenceMediaQueue(Protocol):
    async def add_pending(
        self, *, lead_id: uuid.UUID, wamid: str, media_id: str, mime_type: str | None, sha256: str | None
    ) -> None:
        """Queue a client's media for download; a media id seen before is left as it is."""
        ...


class ArtistInbox(Protocol):
    async def last_wrote(self) -> datetime | None:
        """When the artist last wrote to the business number (their 24-hour window runs from it)."""
        ...

    async def latest_thread(self, lead_id: uuid.UUID) -> str | None:
        """The wamid of the newest message the artist got about the lead, for a new one to quote."""
        ...


class ArtistSettingsSource(Protocol):
    async def current(self) -> ArtistSettings | None:
        """What the artist last saved in the studio; None while the environment's defaults apply."""
        ...


@dataclass(frozen=True)
class Repositories:
    """Everything the journey stores, inside one unit of work."""

    leads: Leads
    inbound: InboundMessages
    scheduled: ScheduledMessages
    action_links: ActionLinks
    media: ReferenceMediaQueue
    artist: ArtistInbox
    artist_settings: ArtistSettingsSource


# How a handler gets the repositories of the unit of work it runs in (SQL in app.py, memory in tests).
RepositoriesOf = Callable[[UnitOfWork], Repositories]
# What a periodic job opens its transactions with (the runtime's factory, or the in-memory unit of work).
UnitsOfWork = Callable[[], UnitOfWork]
