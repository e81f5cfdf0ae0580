"""The payments service's tables (deposits arrive with the Stripe work)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
