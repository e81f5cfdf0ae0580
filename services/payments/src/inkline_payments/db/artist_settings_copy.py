"""Payments' copy of the artist's settings it needs (the currency deposits are charged in, and the deposit
they set for each size), kept from conversation's `artist.settings_changed`: one row, the highest version
seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, SmallInteger, String, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from inkline_contracts.base import SizeCategory
from inkline_contracts.events.artist import ArtistSettingsChanged
from inkline_payments.db.models import Base

_THE_ARTIST = 1  # one artist per deployment today; the key leaves room for more


class ArtistSettingsCopy(Base):
    __tablename__ = "artist_settings_copy"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # {"small": 6000, ...}; NULL from a version sent before the studio's deposits reached payments.
    deposit_by_size_minor: Mapped[dict[str, int] | None] = mapped_column(JSONB, nullable=True)


@dataclass(frozen=True)
class ArtistDeposits:
    currency: str
    by_size: dict[SizeCategory, int]


async def keep(session: AsyncSession, changed: ArtistSettingsChanged) -> None:
    """Store the change unless a newer version is already here (a redelivered or late older one)."""
    by_size = changed.deposit_by_size_minor
    values = {
        "version": changed.version,
        "currency": changed.currency,
        "changed_at": changed.changed_at,
        "deposit_by_size_minor": None if by_size is None else {size.value: n for size, n in by_size.items()},
    }
    statement = insert(ArtistSettingsCopy).values(id=_THE_ARTIST, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ArtistSettingsCopy.id],
            set_=values,
            where=ArtistSettingsCopy.version < statement.excluded.version,
        )
    )


async def artist_deposits(session: AsyncSession) -> ArtistDeposits | None:
    """The currency and deposits the artist last saved; None until they first save (the environment's
    rules apply)."""
    row = (
        await session.execute(
            select(ArtistSettingsCopy.currency, ArtistSettingsCopy.deposit_by_size_minor).where(
                ArtistSettingsCopy.id == _THE_ARTIST
            )
        )
    ).one_or_none()
    if row is None:
        return None
    stored = row.deposit_by_size_minor or {}
    return ArtistDeposits(row.currency, {SizeCategory(size): amount for size, amount in stored.items()})
