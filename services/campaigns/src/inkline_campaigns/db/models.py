"""The campaigns database: the contact and lead read model (built only from events), segments,
templates, campaigns with their recipients, and nurture sequences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TZ = DateTime(timezone=True)


class Base(DeclarativeBase):
    pass


class Contact(Base):
    """One WhatsApp number, with the facts of its latest lead and its whole history."""

    __tablename__ = "contacts"

    wa_id: Mapped[str] = mapped_column(String(135), primary_key=True)
    # The client's own words are TEXT: the events bound them, and a column limit would only fail them.
    profile_name: Mapped[str | None] = mapped_column(Text)
    # Their phone when known (a client addressed by BSUID may never share it; one who changed number has
    # the new one here) and their WhatsApp username; `identity_at` is when events last told either.
    phone: Mapped[str | None] = mapped_column(String(20))
    username: Mapped[str | None] = mapped_column(String(64))
    identity_at: Mapped[datetime | None] = mapped_column(TZ)
    language: Mapped[str | None] = mapped_column(String(10))
    opted_out: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    opted_in: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    consent_changed_at: Mapped[datetime | None] = mapped_column(TZ)
    first_seen_at: Mapped[datetime] = mapped_column(TZ)
    latest_lead_id: Mapped[uuid.UUID | None] = mapped_column()
    latest_lead_at: Mapped[datetime | None] = mapped_column(TZ)
    status: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    style: Mapped[str | None] = mapped_column(Text)
    size_category: Mapped[str | None] = mapped_column(String(20))
    budget_max_minor: Mapped[int | None] = mapped_column(BigInteger)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(100)), default=list, server_default=text("'{}'"))
    last_inbound_at: Mapped[datetime | None] = mapped_column(TZ)
    last_outbound_at: Mapped[datetime | None] = mapped_column(TZ)
    last_marketing_at: Mapped[datetime | None] = mapped_column(TZ)
    deposit_expired_at: Mapped[datetime | None] = mapped_column(TZ)
    deposit_paid_at: Mapped[datetime | None] = mapped_column(TZ)
    deposits_paid_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    first_booked_at: Mapped[datetime | None] = mapped_column(TZ)
    last_booked_at: Mapped[datetime | None] = mapped_column(TZ)
    bookings: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    no_show_at: Mapped[datetime | None] = mapped_column(TZ)
    """When one of the contact's leads first ended as a no-show; never cleared."""


class LeadView(Base):
    __tablename__ = "leads"

    lead_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    wa_id: Mapped[str] = mapped_column(String(135), index=True)
    status: Mapped[str] = mapped_column(String(40))
    status_changed_at: Mapped[datetime | None] = mapped_column(TZ)
    source_campaign_tag: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())
    city: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(2))
    style: Mapped[str | None] = mapped_column(Text)
    size_category: Mapped[str | None] = mapped_column(String(20))
    budget_min_minor: Mapped[int | None] = mapped_column(BigInteger)
    budget_max_minor: Mapped[int | None] = mapped_column(BigInteger)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    # Funnel milestones: when the lead first reached each stage, whatever order events arrive in.
    qualified_at: Mapped[datetime | None] = mapped_column(TZ)
    approved_at: Mapped[datetime | None] = mapped_column(TZ)
    deposit_paid_at: Mapped[datetime | None] = mapped_column(TZ)
    booked_at: Mapped[datetime | None] = mapped_column(TZ)


class TemplateRow(Base):
    __tablename__ = "templates"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(10)))
    parameters: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    body: Mapped[str | None] = mapped_column(Text)
    """The approved words, `{{1}}`-style blanks included; none when registered without them."""
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())


class Segment(Base):
    __tablename__ = "segments"

    segment_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    filter: Mapped[dict[str, Any]] = mapped_column(JSONB)
    builtin: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())


class Campaign(Base):
    __tablename__ = "campaigns"

    campaign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    tag: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="broadcast", server_default=text("'broadcast'"))
    segment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("segments.segment_id"))
    """The saved audience of a broadcast; an automatic campaign picks its own and has none."""
    template_name: Mapped[str] = mapped_column(String(100))
    template_language: Mapped[str] = mapped_column(String(10))
    parameters: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    scheduled_at: Mapped[datetime | None] = mapped_column(TZ)
    status: Mapped[str] = mapped_column(String(20))
    audience_size: Mapped[int | None] = mapped_column(Integer)
    snapshot_at: Mapped[datetime | None] = mapped_column(TZ)
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())
    launched_at: Mapped[datetime | None] = mapped_column(TZ)
    completed_at: Mapped[datetime | None] = mapped_column(TZ)
    metrics_dirty: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    expires_at: Mapped[datetime | None] = mapped_column(TZ)
    """Nothing is handed off from then on; still-pending recipients are skipped as expired."""
    quick_reply_payloads: Mapped[list[str]] = mapped_column(
        ARRAY(String(256)), default=list, server_default=text("'{}'")
    )


class LastMinuteOffer(Base):
    """The freed slot an automatic last-minute campaign offers; one campaign per freeing of a slot."""

    __tablename__ = "last_minute_offers"
    __table_args__ = (
        UniqueConstraint("booking_id", "starts_at"),
        Index("ix_last_minute_offers_range", "starts_at", "ends_at"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("campaigns.campaign_id", ondelete="CASCADE"), primary_key=True
    )
    booking_id: Mapped[uuid.UUID] = mapped_column()
    freed_by_lead_id: Mapped[uuid.UUID] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(TZ)
    ends_at: Mapped[datetime] = mapped_column(TZ)
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str | None] = mapped_column(String(2))
    size_category: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    freed_at: Mapped[datetime] = mapped_column(TZ)


class Recipient(Base):
    """One contact of a campaign's audience snapshot; the primary key makes the send unique."""

    __tablename__ = "campaign_recipients"
    __table_args__ = (
        Index(
            "ix_recipients_due",
            "campaign_id",
            "send_after",
            "wa_id",
            postgresql_where=text("state = 'pending'"),
        ),
        Index("ix_recipients_wa_id", "wa_id", "handed_off_at"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.campaign_id"), primary_key=True)
    wa_id: Mapped[str] = mapped_column(String(135), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    skip_reason: Mapped[str | None] = mapped_column(String(40))
    send_after: Mapped[datetime | None] = mapped_column(TZ)
    message_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    handed_off_at: Mapped[datetime | None] = mapped_column(TZ)
    sent_at: Mapped[datetime | None] = mapped_column(TZ)
    delivered_at: Mapped[datetime | None] = mapped_column(TZ)
    read_at: Mapped[datetime | None] = mapped_column(TZ)
    failed_at: Mapped[datetime | None] = mapped_column(TZ)
    replied_at: Mapped[datetime | None] = mapped_column(TZ)
    opted_out_at: Mapped[datetime | None] = mapped_column(TZ)
    converted_at: Mapped[datetime | None] = mapped_column(TZ)
    """The first deposit or booking the message led to; the two below tell them apart."""
    deposit_paid_at: Mapped[datetime | None] = mapped_column(TZ)
    booked_at: Mapped[datetime | None] = mapped_column(TZ)
    revenue_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    revenue_currency: Mapped[str | None] = mapped_column(String(3))


class Sequence(Base):
    __tablename__ = "sequences"

    sequence_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    trigger: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    builtin: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=func.now())


class Enrollment(Base):
    """A contact going through a sequence; `trigger_key` makes a redelivered trigger a no-op."""

    __tablename__ = "sequence_enrollments"
    __table_args__ = (
        UniqueConstraint("sequence_id", "trigger_key"),
        Index("ix_enrollments_due", "next_due_at", postgresql_where=text("state = 'active'")),
        Index("ix_enrollments_wa_id", "wa_id"),
    )

    enrollment_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    sequence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sequences.sequence_id", ondelete="CASCADE"))
    wa_id: Mapped[str] = mapped_column(String(135))
    lead_id: Mapped[uuid.UUID | None] = mapped_column()
    trigger_key: Mapped[str] = mapped_column(String(200))
    enrolled_at: Mapped[datetime] = mapped_column(TZ)
    next_step: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[datetime | None] = mapped_column(TZ)
    state: Mapped[str] = mapped_column(String(20))
    stop_reason: Mapped[str | None] = mapped_column(String(40))


class StepSend(Base):
    """One step of one enrollment, sent or skipped exactly once."""

    __tablename__ = "sequence_step_sends"

    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sequence_enrollments.enrollment_id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[uuid.UUID | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(TZ)
