"""The artist's settings, one row per saved version (who saved it and when): the newest row is current."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from inkline_conversation.db.models import Base
from inkline_conversation.domain.artist_settings import ArtistSettings


class ArtistSettingsVersion(Base):
    __tablename__ = "artist_settings_versions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    settings: Mapped[dict[str, Any]]
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


async def current_artist_settings(session: AsyncSession) -> ArtistSettings | None:
    """The newest saved version; None until the artist first saves (the environment's values apply)."""
    stored = await session.scalar(
        select(ArtistSettingsVersion.settings).order_by(ArtistSettingsVersion.id.desc()).limit(1)
    )
    return None if stored is None else ArtistSettings.model_validate(stored)


async def save_artist_settings(
    session: AsyncSession, artist: ArtistSettings, *, changed_by: str, now: datetime
) -> ArtistSettingsVersion:
    version = ArtistSettingsVersion(
        settings=artist.model_dump(mode="json"), changed_by=changed_by, changed_at=now
    )
    session.add(version)
    await session.flush()
    return version


async def artist_settings_history(session: AsyncSession, limit: int) -> Sequence[ArtistSettingsVersion]:
    """Saved versions, newest first."""
    query = select(ArtistSettingsVersion).order_by(ArtistSettingsVersion.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


class SqlArtistSettings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self) -> ArtistSettings | None:
        return await current_artist_settings(self._session)
