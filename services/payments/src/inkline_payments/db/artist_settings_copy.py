"""Payments' copy of the artist's settings it needs (the currency deposits are charged in), kept from
conversation's `artist.settings_changed`: one row, the highest version seen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, SmallInteger, String, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from inkline_contracts.events.artist import ArtistSettingsChanged
from inkline_payments.db.models import Base

_THE_ARTIST = 1  # one artist per deployment today; the key leaves room for more


class ArtistSettingsCopy(Base):
    __tablename__ = "artist_settings_copy"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def keep(session: AsyncSession, changed: ArtistSettingsChanged) -> None:
    """Store the change unless a newer version is already here (a redelivered or late older one)."""
    values = {"version": changed.version, "currency": changed.currency, "changed_at": changed.changed_at}
    statement = insert(ArtistSettingsCopy).values(id=_THE_ARTIST, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ArtistSettingsCopy.id],
            set_=values,
            where=ArtistSettingsCopy.version < statement.excluded.version,
        )
    )


async def artist_currency(session: AsyncSession) -> str | None:
    """The currency the artist last saved; None until they first save (the environment's applies)."""
    return await session.scalar(
        select(ArtistSettingsCopy.currency).where(ArtistSettingsCopy.id == _THE_ARTIST)
    )
