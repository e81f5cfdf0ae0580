"""The outbox relay: publishes committed outbox rows to JetStream and marks them sent.

Crash safety: a row is marked sent only after JetStream acknowledged it. A crash between the two leaves
the row pending, so it is published again with the same `Nats-Msg-Id`; JetStream drops it inside the
stream's duplicate window and every consumer's inbox drops it after that.

Order: replicas take turns through a transaction-scoped advisory lock, so rows reach JetStream in `seq`
order whichever replica relays them. Without it, a replica could publish a client's next reply while
another was still publishing the one before (rows locked `FOR UPDATE SKIP LOCKED` by one replica are
simply passed over by the next). The row locks stay, so nothing else that reads the outbox takes a row
being published.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Protocol

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inkline_contracts.send_routing import published_subject
from inkline_platform import metrics
from inkline_platform.scheduler import advisory_key
from inkline_platform.tables import outbox

log = structlog.get_logger(__name__)


class Publisher(Protocol):
    async def publish(
        self,
        *,
        subject: str,
        stream: str,
        body: bytes,
        message_id: str,
        correlation_id: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Publish with the row's `headers` (trace context) and wait for the stream's acknowledgement;
        raise when it did not come."""


class OutboxRelay:
    def __init__(
        self,
        *,
        service: str,
        session_factory: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        batch_size: int = 200,
        poll_seconds: float = 0.5,
        max_backoff_seconds: float = 10.0,
    ) -> None:
        self.service = service
        self._sessions = session_factory
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._max_backoff = max_backoff_seconds
        self._wake = asyncio.Event()
        self._lock_key = advisory_key(service, "outbox-relay")

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows, so they go out without waiting for the poll."""
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows in order; returns how many were published."""
        async with self._sessions() as session, session.begin():
            # Waits while another replica publishes its batch; the rows it leaves are then ours, in order.
            await session.execute(select(func.pg_advisory_xact_lock(self._lock_key)))
            rows = (
                await session.execute(
                    select(
                        outbox.c.seq,
                        outbox.c.message_id,
                        outbox.c.subject,
                        outbox.c.stream,
                        outbox.c.correlation_id,
                        outbox.c.body,
                        outbox.c.headers,
                        func.extract("epoch", func.now() - outbox.c.created_at).label("age_seconds"),
                    )
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.seq)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            # The oldest pending row comes first, so the lag costs no query of its own.
            metrics.OUTBOX_LAG_SECONDS.labels(self.service).set(float(rows[0].age_seconds) if rows else 0.0)
            # Sent in order on the one connection and acknowledged together: one round trip for the
            # batch, not one per row. JetStream stores them in the order sent.
            outcomes = await asyncio.gather(
                *(
                    self._publisher.publish(
                        subject=published_subject(row.subject, row.body),
                        stream=row.stream,
                        body=row.body.encode(),
                        message_id=str(row.message_id),
                        correlation_id=row.correlation_id,
                        headers=row.headers,
                    )
                    for row in rows
                ),
                return_exceptions=True,
            )
            failed = [row.seq for row, outcome in zip(rows, outcomes, strict=True) if _failed(outcome)]
            published = [row.seq for row, outcome in zip(rows, outcomes, strict=True) if not _failed(outcome)]
            failure = next((outcome for outcome in outcomes if isinstance(outcome, BaseException)), None)
            if failure is not None:
                # These stay pending and go again on the next pass, with the same Nats-Msg-Id (JetStream
                # drops a copy it stored after all). Rows after them that were acknowledged stay published.
                await session.execute(
                    update(outbox)
                    .where(outbox.c.seq.in_(failed))
                    .values(attempts=outbox.c.attempts + 1, last_error=repr(failure)[:2000])
                )
            if published:
                await self._mark_published(session, published)
        metrics.OUTBOX_PUBLISHED.labels(self.service).inc(len(published))
        if failure is not None:
            raise OutboxPublishError(str(failure)) from failure
        return len(published)

    async def _mark_published(self, session: AsyncSession, seqs: list[int]) -> None:
        await session.execute(update(outbox).where(outbox.c.seq.in_(seqs)).values(published_at=func.now()))

    async def pending_count(self) -> int:
        async with self._sessions() as session:
            count = await session.scalar(select(func.count()).where(outbox.c.published_at.is_(None)))
            return int(count or 0)

    async def run(self) -> None:
        """Relay until cancelled; backs off while NATS or the database is unavailable."""
        backoff = 0.0
        while True:
            # Cleared before reading, not after: a wake-up that arrives while this pass reads the table
            # (a commit it did not see yet) must still end the wait below, or that row waits a whole poll.
            self._wake.clear()
            try:
                published = await self.publish_pending()
                backoff = 0.0
            except Exception as exc:
                backoff = min(self._max_backoff, max(0.2, backoff * 2))
                log.warning("outbox_relay_failed", service=self.service, error=str(exc), retry_in=backoff)
                await asyncio.sleep(backoff)
                continue
            if published >= self._batch_size:
                continue
            # Not asyncio.wait_for: on 3.11 it can swallow a cancellation that races the wake-up, and then
            # the service never stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wake.wait()


def _failed(outcome: object) -> bool:
    return isinstance(outcome, BaseException)


class OutboxPublishError(RuntimeError):
    """JetStream did not acknowledge a publish; the row stays pending."""
