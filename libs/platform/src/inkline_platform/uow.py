"""Unit of work: one database transaction holding a service's state change and the messages it causes.

Messages are never published directly: `publish` queues them, and `commit` writes them to the outbox in
the same transaction as the state change. The relay publishes them afterwards, so a state change and its
messages are either both kept or both lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.subjects import Subject
from inkline_platform.outbox_wakeup import write_and_announce
from inkline_platform.tables import inbox, outbox
from inkline_platform.tracing import trace_headers

P = TypeVar("P", bound=Contract)
# Outbox rows written in the statement that also announces them (six parameters a row).
ANNOUNCED_ROWS_MAX = 1000


class UnitOfWork:
    """Use as `async with uow_factory() as uow: ...; await uow.commit()`; leaving without commit rolls back."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        on_commit: Callable[[], None] | None = None,
        announce_as: str | None = None,
    ) -> None:
        self.session = session
        self._on_commit = on_commit
        self._announce_as = announce_as
        # (stream, envelope, trace headers of the handler or request that published it)
        self._pending: list[tuple[str, Envelope[Any], dict[str, str] | None]] = []
        self._after_commit: list[Callable[[], None]] = []
        self.committed = False

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            await self.session.rollback()
        await self.session.close()

    def publish(
        self,
        subject: Subject[P],
        payload: P,
        *,
        correlation_id: str,
        causation_id: uuid.UUID | None = None,
    ) -> Envelope[P]:
        """Queue a message; it reaches the outbox on commit and NATS after that."""
        envelope = new_envelope(subject, payload, correlation_id=correlation_id, causation_id=causation_id)
        # The context now, not at commit: a group commit (group_commit.py) runs several deliveries' handlers
        # in one transaction, each in its own trace, and each message continues the trace that caused it.
        self._pending.append((subject.stream, envelope, trace_headers() or None))
        return envelope

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed (a metric that must not count a rollback)."""
        self._after_commit.append(callback)

    @property
    def pending(self) -> list[Envelope[Any]]:
        return [envelope for _, envelope, _ in self._pending]

    async def claim(self, *, consumer: str, message_id: uuid.UUID, subject: str) -> bool:
        """Record that `consumer` handles `message_id`; False when it already did (a redelivery).

        A concurrent duplicate blocks on the primary key until the first transaction ends, then sees the
        conflict, so two deliveries of one message never both run their effect.
        """
        statement = (
            pg_insert(inbox)
            .values(consumer=consumer, message_id=message_id, subject=subject)
            .on_conflict_do_nothing()
            .returning(inbox.c.message_id)
        )
        result = await self.session.execute(statement)
        return result.scalar_one_or_none() is not None

    async def claim_all(
        self, *, consumer: str, message_ids: Sequence[uuid.UUID], subject: str
    ) -> set[uuid.UUID]:
        """`claim` for several messages in one statement: the ids `consumer` had not handled yet."""
        statement = (
            pg_insert(inbox)
            .values([{"consumer": consumer, "message_id": id_, "subject": subject} for id_ in message_ids])
            .on_conflict_do_nothing()
            .returning(inbox.c.message_id)
        )
        return set((await self.session.execute(statement)).scalars())

    async def commit(self) -> None:
        if self._pending:
            # The relay publishes each inside the trace of the request or handler that caused it.
            rows = [
                {
                    "message_id": envelope.message_id,
                    "subject": envelope.type,
                    "stream": stream,
                    "correlation_id": envelope.correlation_id,
                    "body": envelope.model_dump_json(),
                    "headers": headers,
                }
                for stream, envelope, headers in self._pending
            ]
            if self._announce_as is None:
                await self.session.execute(insert(outbox), rows)
            else:
                # One statement holds a bounded number of rows (PostgreSQL takes at most 32,767
                # parameters); the rest follow in order as a plain batch insert.
                first, rest = rows[:ANNOUNCED_ROWS_MAX], rows[ANNOUNCED_ROWS_MAX:]
                await self.session.execute(write_and_announce(first, self._announce_as))
                if rest:
                    await self.session.execute(insert(outbox), rest)
        wrote_outbox = bool(self._pending)
        await self.session.commit()
        self.committed = True
        self._pending.clear()
        # Only a commit that wrote messages has anything for the relay: waking it after every commit (most
        # of a service's transactions publish nothing) cost a relay pass of four statements each time.
        if wrote_outbox and self._on_commit is not None:
            self._on_commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()


class UnitOfWorkFactory:
    """Builds units of work on one session factory; `on_commit` (the relay's wake-up) runs after every
    commit that wrote outbox rows, and with `announce_as` the other replicas' relays hear of it too (see
    outbox_wakeup)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        on_commit: Callable[[], None] | None = None,
        announce_as: str | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.on_commit = on_commit
        self.announce_as = announce_as

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory(), on_commit=self.on_commit, announce_as=self.announce_as)
