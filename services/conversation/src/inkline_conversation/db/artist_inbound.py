"""Recording the artist's own messages, and the messages sent to the artist that they may reply to."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.db.models import ArtistMessage, ArtistThread, Lead


async def record_artist_message(
    session: AsyncSession,
    *,
    wamid: str,
    kind: str,
    text: str | None,
    reply_to_wamid: str | None,
    sent_at: datetime,
    raw: dict[str, Any],
) -> bool:
    """Store the artist's message; False when Meta delivered it before (same wamid)."""
    inserted = await session.execute(
        insert(ArtistMessage)
        .values(wamid=wamid, kind=kind, text=text, reply_to_wamid=reply_to_wamid, sent_at=sent_at, raw=raw)
        .on_conflict_do_nothing(index_elements=["wamid"])
        .returning(ArtistMessage.wamid)
    )
    return inserted.scalar_one_or_none() is not None


async def record_thread(session: AsyncSession, *, wamid: str, lead_id: uuid.UUID, purpose: str) -> None:
    """Remember which lead a message to the artist was about (a redelivered `message.sent` is a no-op)."""
    await session.execute(
        insert(ArtistThread)
        .values(wamid=wamid, lead_id=lead_id, purpose=purpose)
        .on_conflict_do_nothing(index_elements=["wamid"])
    )


async def lead_of_thread(session: AsyncSession, wamid: str) -> uuid.UUID | None:
    return await session.scalar(select(ArtistThread.lead_id).where(ArtistThread.wamid == wamid))


async def latest_thread(session: AsyncSession, lead_id: uuid.UUID) -> str | None:
    """The wamid of the newest message the artist got about the lead (a message in the artist's chat)."""
    return await session.scalar(
        select(ArtistThread.wamid)
        .where(ArtistThread.lead_id == lead_id)
        .order_by(ArtistThread.created_at.desc())
        .limit(1)
    )


async def last_handled_lead(session: AsyncSession) -> uuid.UUID | None:
    """The client the artist's latest message was about."""
    return await session.scalar(
        select(ArtistMessage.lead_id)
        .where(ArtistMessage.lead_id.is_not(None))
        .order_by(ArtistMessage.sent_at.desc(), ArtistMessage.received_at.desc())
        .limit(1)
    )


async def artist_last_wrote(session: AsyncSession) -> datetime | None:
    """When the artist last wrote to the business number (their 24-hour window runs from it)."""
    return await session.scalar(select(ArtistMessage.sent_at).order_by(ArtistMessage.sent_at.desc()).limit(1))


async def lock_artist_message(session: AsyncSession, wamid: str) -> ArtistMessage | None:
    """The artist's stored message, locked so two deliveries of it never both act."""
    return await session.scalar(select(ArtistMessage).where(ArtistMessage.wamid == wamid).with_for_update())


async def lead_exists(session: AsyncSession, lead_id: uuid.UUID) -> bool:
    return await session.get(Lead, lead_id) is not None
