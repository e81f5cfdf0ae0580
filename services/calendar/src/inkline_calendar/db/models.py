"""The calendar service's tables (holds and bookings arrive with the calendar work)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
