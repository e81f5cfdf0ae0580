"""The notifier's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Contact(Base):
    """Whom we may message, and until when free-form messages are allowed (24 h after their last one)."""

    __tablename__ = "contacts"

    wa_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opted_out: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
