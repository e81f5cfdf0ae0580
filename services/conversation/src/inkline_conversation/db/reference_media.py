"""Reference images clients send: recorded when the message is consumed, downloaded by a periodic job.

The downloader keeps the row lock (FOR UPDATE SKIP LOCKED) while it downloads, one row per transaction.
Downloading outside the lock would need a lease column to stop another pass from taking the same row, and
the table has none; holding one row lock for one bounded download (the adapter's timeout) is cheap, a
concurrent pass skips the row instead of waiting, and a crash mid-download rolls back to `pending` with the
attempt uncounted, so the next pass resumes it.

Retries wait longer each time without a "next attempt" column: after n failed attempts a row is due again
at `created_at + retry_base * (2**n - 1)` (e.g. 30 s, 90 s, 3.5 min, 7.5 min after it arrived). After a
long outage several retries may fall due at once; each pass still tries a row at most once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Float, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.adapters.graph_media import MediaFetchError, MediaSource, PermanentMediaError
from inkline_conversation.db.models import ReferenceMedia
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)

PENDING, STORED, FAILED = "pending", "stored", "failed"


async def record_pending_media(
    session: AsyncSession,
    *,
    lead_id: uuid.UUID,
    wamid: str,
    media_id: str,
    mime_type: str | None,
    sha256: str | None,
) -> None:
    """Queue a client's media for download; a media id seen before is left as it is."""
    await session.execute(
        insert(ReferenceMedia)
        .values(
            media_id=media_id,
            lead_id=lead_id,
            wamid=wamid,
            mime_type=mime_type,
            sha256=sha256,
            status=PENDING,
        )
        .on_conflict_do_nothing(index_elements=["media_id"])
    )


async def download_pending_media(
    uow: UnitOfWorkFactory,
    source: MediaSource,
    *,
    now: datetime,
    batch: int = 10,
    max_attempts: int = 5,
    retry_base: timedelta = timedelta(seconds=30),
) -> int:
    """One pass of the download job: try up to `batch` due rows once each; returns how many it tried."""
    backoff_seconds = literal(retry_base.total_seconds(), Float()) * (
        func.power(2, ReferenceMedia.attempts) - 1
    )
    backoff = func.make_interval(0, 0, 0, 0, 0, 0, backoff_seconds)  # zero years to minutes, then seconds
    due = or_(ReferenceMedia.attempts == 0, ReferenceMedia.created_at + backoff <= now)
    tried: list[str] = []
    for _ in range(batch):
        async with uow() as work:
            query = select(ReferenceMedia).where(ReferenceMedia.status == PENDING, due)
            if tried:
                query = query.where(ReferenceMedia.media_id.not_in(tried))
            row = await work.session.scalar(
                query.order_by(ReferenceMedia.created_at, ReferenceMedia.media_id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if row is None:
                break
            await _attempt(row, source, now=now, max_attempts=max_attempts)
            await work.commit()
        tried.append(row.media_id)
    return len(tried)


async def _attempt(row: ReferenceMedia, source: MediaSource, *, now: datetime, max_attempts: int) -> None:
    row.attempts += 1
    try:
        fetched = await source.fetch(row.media_id)
    except Exception as exc:
        # Anything unexpected counts as a retryable failure too, so one bad row cannot stall the queue.
        permanent = isinstance(exc, PermanentMediaError)
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if permanent or row.attempts >= max_attempts:
            row.status = FAILED
        log.warning(
            "reference_media_fetch_failed",
            media_id=row.media_id,
            lead_id=str(row.lead_id),
            attempts=row.attempts,
            gave_up=row.status == FAILED,
            error=row.last_error,
            exc_info=not isinstance(exc, MediaFetchError),
        )
        return
    row.content = fetched.content
    row.mime_type = fetched.mime_type
    row.status = STORED
    row.stored_at = now
    row.last_error = None
    log.info(
        "reference_media_stored", media_id=row.media_id, lead_id=str(row.lead_id), size=len(fetched.content)
    )
