"""The calendar service's tables, as SQLAlchemy sees them (the migrations own the DDL)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Identity, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB, TSTZRANGE, Range
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# One artist per deployment today; the column keeps the exclusion constraint honest if that changes.
ARTIST = "artist"


class Base(DeclarativeBase):
    pass


class AvailabilityRules(Base):
    __tablename__ = "availability_rules"

    artist_id: Mapped[str] = mapped_column(Text, primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AvailabilityRulesVersion(Base):
    """One saved state of the rules (every admin change), newest last: the history of the artist's hours."""

    __tablename__ = "availability_rules_versions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    artist_id: Mapped[str] = mapped_column(Text)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TourLegRow(Base):
    __tablename__ = "tour_legs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    artist_id: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    country_code: Mapped[str] = mapped_column(String(2))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str | None] = mapped_column(Text)


class BlackoutDate(Base):
    __tablename__ = "blackout_dates"

    artist_id: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class Reservation(Base):
    """A hold or a booking; `state` follows domain.holds.TRANSITIONS."""

    __tablename__ = "reservations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    artist_id: Mapped[str] = mapped_column(Text, default=ARTIST)
    lead_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    slot_id: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    size_category: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)
    during: Mapped[Range[datetime]] = mapped_column(TSTZRANGE)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    booking_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    deposit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rehold_of: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    moved_to: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    client_name: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarJob(Base):
    """One pending or finished write to Google Calendar; the queue survives restarts."""

    __tablename__ = "calendar_jobs"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    lead_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    state: Mapped[str] = mapped_column(Text, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    html_link: Mapped[str | None] = mapped_column(Text)
    causation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
