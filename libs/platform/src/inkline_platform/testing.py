"""Stand-ins for tests and benchmarks: a clock the test moves, a unit of work without a database, and the
one way to hand a handler a message as the platform consumer does."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.subjects import Subject
from inkline_platform.clock import utc_now
from inkline_platform.consumer import Handler
from inkline_platform.uow import UnitOfWork


class FakeClock:
    """The service's clock, moved by the test instead of by waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class MovableClock:
    """Real time plus an offset the test moves forward: for services whose background loops also wait in
    real time, so that time keeps passing between the test's moves."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - utc_now()

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class Committed:
    """What an in-memory unit of work kept: the messages of every committed transaction, in order."""

    envelopes: list[Envelope[Any]] = field(default_factory=list)

    def on(self, subject: Subject[Any]) -> list[Any]:
        """The payloads committed on `subject`, oldest first."""
        return [envelope.payload for envelope in self.envelopes if envelope.type == subject.name]


class InMemoryUnitOfWork(UnitOfWork):
    """A unit of work with no database: messages are kept in `committed` on commit and dropped on
    rollback, and the inbox is a set. A service's fake subclasses it to add its in-memory repositories.

    Use it as the unit-of-work factory too (`uow()` returns the same object, ready for the next
    transaction), so one test sees every transaction's state. There is no session: a handler that reaches
    for `work.session` fails loudly, which is the point. Objects a rolled-back handler changed stay changed
    (there is no snapshot); rollback behaviour is the component tests' to prove, on PostgreSQL.
    """

    def __init__(self) -> None:
        # No super().__init__: it takes a session, and this unit of work has none on purpose.
        self._on_commit: Callable[[], None] | None = None
        self._pending = []
        self._after_commit = []
        self.committed = False
        self.claimed: set[tuple[str, uuid.UUID]] = set()
        self.messages = Committed()

    def __call__(self) -> InMemoryUnitOfWork:
        self.committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            self._pending.clear()
            self._after_commit.clear()

    async def claim(self, *, consumer: str, message_id: uuid.UUID, subject: str) -> bool:
        key = (consumer, message_id)
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    async def claim_all(
        self, *, consumer: str, message_ids: Sequence[uuid.UUID], subject: str
    ) -> set[uuid.UUID]:
        return {
            id_ for id_ in message_ids if await self.claim(consumer=consumer, message_id=id_, subject=subject)
        }

    async def commit(self) -> None:
        self.messages.envelopes.extend(envelope for _, envelope, _ in self._pending)
        self._pending.clear()
        self.committed = True
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()


async def deliver(
    uow: Callable[[], UnitOfWork],
    handler: Handler[Any],
    subject: Subject[Any],
    payload: Contract,
    *,
    correlation_id: str = "test",
    message_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
    consumer: str | None = None,
) -> Envelope[Any]:
    """Run `handler` as the platform consumer does: inbox claim, handler, commit, in one transaction; a
    message id already claimed by `consumer` (a redelivery) commits without running the handler."""
    envelope = new_envelope(
        subject, payload, correlation_id=correlation_id, message_id=message_id, occurred_at=occurred_at
    )
    async with uow() as work:
        claimed = await work.claim(
            consumer=consumer or f"test-{subject.name}", message_id=envelope.message_id, subject=subject.name
        )
        if claimed:
            await handler(work, envelope)
        await work.commit()
    return envelope
