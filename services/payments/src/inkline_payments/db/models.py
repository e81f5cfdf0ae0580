"""The payments service's tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON().with_variant(JSONB(), "postgresql")}


class Deposit(Base):
    """One deposit request and the Checkout Session that collects it; `id` is the Stripe idempotency key."""

    __tablename__ = "deposits"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    lead_id: Mapped[uuid.UUID]
    hold_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text)
    # The held session, when the request said (older producers do not): what the paid page tells the client.
    slot_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    slot_timezone: Mapped[str | None] = mapped_column(Text)
    # The client's language, for Checkout's locale and the page after paying; None reads as English.
    language: Mapped[str | None] = mapped_column(Text)
    hold_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    session_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(Text)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255))
    refund_id: Mapped[str | None] = mapped_column(String(255))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        Index("ix_deposits_hold_id", "hold_id"),
        Index("ix_deposits_lead_id", "lead_id"),
        Index("ix_deposits_payment_intent_id", "payment_intent_id"),
        Index(
            "ix_deposits_pending_expiry",
            "session_expires_at",
            postgresql_where=text("status IN ('open', 'processing')"),
        ),
    )


class StripeEvent(Base):
    """Every Stripe event id we acted on, written in the transaction of its effect: redelivery is a no-op."""

    __tablename__ = "stripe_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
