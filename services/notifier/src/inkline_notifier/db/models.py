"""The notifier's tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Double, Identity, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Contact(Base):
    """Whom we may message, and until when free-form messages are allowed (24 h after their last one)."""

    __tablename__ = "contacts"

    wa_id: Mapped[str] = mapped_column(String(135), primary_key=True)
    # Where to send when not to `wa_id` itself: the number Meta has since shown for a business-scoped user
    # ID, or the new number of a client who changed it.
    phone: Mapped[str | None] = mapped_column(String(20))
    # The client's business-scoped user ID when it is no longer `wa_id` (Meta changed it): sends to a
    # client without a phone go there.
    bsuid: Mapped[str | None] = mapped_column(String(135))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opted_out: Mapped[bool] = mapped_column(default=False, server_default=text("false"))


class OutboundMessage(Base):
    """One `notify.send` command, from queued to its last delivery status. The id is the command's id."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        # The sender's question: the oldest queued message of each recipient.
        Index("ix_outbound_queued", "to_wa_id", "seq", postgresql_where=text("status = 'queued'")),
        # The same question for each lane's sender: replies never scan a campaign's queued thousands.
        Index(
            "ix_outbound_queued_reply",
            "to_wa_id",
            "seq",
            postgresql_where=text("status = 'queued' AND category <> 'marketing'"),
        ),
        Index(
            "ix_outbound_queued_bulk",
            "to_wa_id",
            "seq",
            postgresql_where=text("status = 'queued' AND category = 'marketing'"),
        ),
        # Each lane's queue in order: a sender reads its next batch from the front, not the whole queue.
        Index(
            "ix_outbound_queue_order_reply",
            "seq",
            postgresql_where=text("status = 'queued' AND category <> 'marketing'"),
        ),
        Index(
            "ix_outbound_queue_order_bulk",
            "seq",
            postgresql_where=text("status = 'queued' AND category = 'marketing'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    correlation_id: Mapped[str] = mapped_column(String(200))
    to_wa_id: Mapped[str] = mapped_column(String(135))
    purpose: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    campaign_tag: Mapped[str | None] = mapped_column(String(200))
    # The reader's language: outside the window, the fallback template's translation for it.
    language: Mapped[str | None] = mapped_column(String(10))
    # From the command: the recipient wrote then, whether or not their message has reached us yet.
    window_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'queued'"))
    force_template: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    sent_as: Mapped[str | None] = mapped_column(String(20), doc="text, interactive or template")
    wamid: Mapped[str | None] = mapped_column(String(200), unique=True)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    throttled: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    # Calls to the Cloud API: each is committed as started before it is made, so a call whose answer never
    # came is known after a timeout or a crash (`attempt_started_at` still set) and is not simply repeated.
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    attempt_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unconfirmed: Mapped[int] = mapped_column(Integer, server_default=text("0"), doc="calls never answered")
    retried: Mapped[int] = mapped_column(Integer, server_default=text("0"), doc="5xx/network failures")
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    error_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # W3C `traceparent`/`tracestate` of the `notify.send` handling: the Graph API call joins that trace.
    trace_headers: Mapped[dict[str, str] | None] = mapped_column(JSONB(none_as_null=True))
    sent_by: Mapped[str | None] = mapped_column(String(100), doc="the replica that made the last call")


class UnmatchedStatus(Base):
    """A status callback for a wamid we have not recorded yet (Meta can call back before our commit)."""

    __tablename__ = "unmatched_statuses"

    wamid: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    error_code: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SheetRow(Base):
    """A spreadsheet row as it should be; `version` > `written_version` means it still has to be written."""

    __tablename__ = "sheet_rows"
    __table_args__ = (
        Index("ix_sheet_rows_dirty", "sheet", postgresql_where=text("version > written_version")),
    )

    sheet: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    values: Mapped[dict[str, str]] = mapped_column(JSONB)
    stamps: Mapped[dict[str, str]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("1"))
    written_version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class SendRate(Base):
    """A sending number's token bucket, one row every replica takes its tokens from (`StoredTokenBucket`);
    a replica writes it only if `version` is still the one it read."""

    __tablename__ = "send_rates"

    phone_number_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float | None] = mapped_column(Double, doc="null before the first send: a full bucket")
    at: Mapped[float | None] = mapped_column(Double, doc="seconds since the epoch when `tokens` was counted")
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"), doc="changes so far")
