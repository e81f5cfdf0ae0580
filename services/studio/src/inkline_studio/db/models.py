"""The studio's own tables: who may sign in, and their sign-in links. No business data lives here."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Person(Base):
    """Someone who may sign in to the studio: the artist today, a studio manager later.

    Identity only: the artist's settings (prices, hours, policy) live in the services that use them.
    """

    __tablename__ = "people"

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    wa_id: Mapped[str] = mapped_column(String(20), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SignInLink(Base):
    """A one-time sign-in link sent to a person's WhatsApp; only the SHA-256 of its token is stored."""

    __tablename__ = "sign_in_links"
    # (person_id, created_at): the rate limit counts one person's recent links.
    __table_args__ = (Index("ix_sign_in_links_person_id", "person_id", "created_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.person_id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
