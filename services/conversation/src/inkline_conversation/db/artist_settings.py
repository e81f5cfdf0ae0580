"""The artist's settings, one row per saved version (who saved it and when): the newest row is current."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import BigInteger, DateTime, String, func, select
from sqlalchemy.engine import Engine
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


# The newest version's id, as a column another query carries (the lead's lock, db/repositories.py): a turn
# then learns whether the artist saved since the last one without a statement of its own.
LATEST_VERSION_ID = select(func.max(ArtistSettingsVersion.id)).scalar_subquery()
_LATEST_READ = "inkline.artist_settings_version"
# The newest version this process has read, per database: (its id, its settings). A version is never
# changed once saved, so the id alone says whether this is still what the artist last saved.
_read: WeakKeyDictionary[Engine, tuple[int, ArtistSettings]] = WeakKeyDictionary()


def note_latest_version(session: AsyncSession, version_id: int | None) -> None:
    """Remember, for the rest of this transaction, the newest version's id another query read."""
    session.info[_LATEST_READ] = (session.sync_session.get_transaction(), version_id)


async def current_artist_settings(session: AsyncSession) -> ArtistSettings | None:
    """The newest saved version; None until the artist first saves (the environment's values apply).

    Read in the caller's transaction, so a save applies from the next one; parsed once per version."""
    engine = session.get_bind().engine
    cached = _read.get(engine)
    noted = session.info.get(_LATEST_READ)
    if noted is not None and noted[0] is session.sync_session.get_transaction():
        latest_id = noted[1]
        if latest_id is None:
            return None
        if cached is not None and cached[0] == latest_id:
            return cached[1]
    found = (
        await session.execute(
            select(ArtistSettingsVersion.id, ArtistSettingsVersion.settings)
            .order_by(ArtistSettingsVersion.id.desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    version_id, stored = found
    if cached is not None and cached[0] == version_id:
        return cached[1]
    artist = ArtistSettings.model_validate(stored)
    _read[engine] = (version_id, artist)
    return artist


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
