"""The conversation service's tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON().with_variant(JSONB(), "postgresql"),
        list[dict[str, Any]]: JSON().with_variant(JSONB(), "postgresql"),
    }


class Contact(Base):
    """A person who wrote to the artist; consent is per person, across their leads.

    `wa_id` is their address for good (phone, or BSUID when they never shared one); `phone` and `bsuid`
    are every identifier Meta has shown for them, so a message carrying either finds this contact.
    """

    __tablename__ = "contacts"

    wa_id: Mapped[str] = mapped_column(String(135), primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    bsuid: Mapped[str | None] = mapped_column(String(135), unique=True)
    username: Mapped[str | None] = mapped_column(String(64))
    profile_name: Mapped[str | None] = mapped_column(String(200))
    opted_out: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    consent_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    wa_id: Mapped[str] = mapped_column(ForeignKey("contacts.wa_id"))
    status: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    language: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    # phone, text or asked (domain/language.py); None until the lead's first message.
    language_source: Mapped[str | None] = mapped_column(String(10))
    # The consultation machine's state (consultation_codec), and what the artist decides on once complete.
    consultation: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    qualified: Mapped[dict[str, Any] | None]
    size_category: Mapped[str | None] = mapped_column(String(20))
    # Where the bot goes back to when the artist hands the chat back ("resume bot").
    resume_status: Mapped[str | None] = mapped_column(String(40))
    # The open question to the calendar: its request id and why it was asked (qualify or offer).
    slots_request_id: Mapped[uuid.UUID | None]
    slots_request_purpose: Mapped[str | None] = mapped_column(String(20))
    offered_slots: Mapped[list[dict[str, Any]] | None]
    tour_offer: Mapped[dict[str, Any] | None]
    slot_strikes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hold_id: Mapped[uuid.UUID | None]
    hold_range: Mapped[dict[str, Any] | None]
    hold_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deposit_id: Mapped[uuid.UUID | None]
    deposit_url: Mapped[str | None] = mapped_column(Text)
    deposit_paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    booking_id: Mapped[uuid.UUID | None]
    booking_range: Mapped[dict[str, Any] | None]
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How many "still there?" nudges a stalled consultation got; the sweeper moves it on from here.
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    artist_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last "we're waiting on the artist" answer; one per status, so a chatty client is not spammed.
    holding_reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A reschedule or cancellation the client started in chat and has not finished (domain/appointment_change.py).
    appointment_change: Mapped[dict[str, Any] | None]
    reschedules_used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The artist waived the policy's fee (a late reschedule or cancellation) through an action link.
    fee_waived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What happened to the deposit after a cancellation: refund_requested, refunded or forfeited.
    deposit_outcome: Mapped[str | None] = mapped_column(String(20))
    # The one reminder to the artist about a client waiting on them (journey/artist_chats.py).
    artist_nudged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the artist sent while the client's 24-hour window was closed and only a template could go: the
    # rest of a long reply, a picture; sent when the client next writes (journey/artist_relay.py).
    held_for_client: Mapped[list[dict[str, Any]] | None]

    __table_args__ = (
        Index("ix_leads_wa_id_created", "wa_id", "created_at"),
        Index("ix_leads_status_changed", "status", "status_changed_at"),
    )


class InboundMessage(Base):
    """Every WhatsApp message accepted by the webhook, keyed by Meta's id so redeliveries are dropped."""

    __tablename__ = "inbound_messages"

    wamid: Mapped[str] = mapped_column(String(200), primary_key=True)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"))
    wa_id: Mapped[str] = mapped_column(String(135))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    raw: Mapped[dict[str, Any]]
    # Set when the consultation step has consumed the message; unprocessed ones are handled in sent order.
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_inbound_lead_sent", "lead_id", "sent_at"),)


class QuarantinedWebhookItem(Base):
    """A webhook message, status or body that could not be handled, kept with why (db/quarantine).

    The JSON is as Meta sent it but for NUL characters and lone surrogates, written out as escapes;
    the same item delivered again counts `times_seen` instead of adding a row.
    """

    __tablename__ = "quarantined_webhook_items"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    item: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    wamid: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[Any] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    times_seen: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (Index("ix_quarantined_webhook_items_first_seen", "first_seen_at"),)


class ActionToken(Base):
    """A single-use artist action link; only the SHA-256 of the token is stored."""

    __tablename__ = "action_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReferenceMedia(Base):
    """A reference picture a client sent, downloaded from the Graph media API for the artist to view."""

    __tablename__ = "reference_media"

    media_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"), index=True)
    wamid: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(100))
    # pending → stored, or failed after the downloader gave up.
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    stored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScheduledMessage(Base):
    """A reminder or aftercare message of one booking, planned when it was confirmed and sent when due.

    `sent_at` is set in the transaction that writes the notify.send to the outbox, so a message is sent
    once whatever restarts; `cancelled_at` marks one that must never go (booking cancelled or moved).
    """

    __tablename__ = "scheduled_messages"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"), index=True)
    booking_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(30))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set on every row of a plan that a reschedule replaced; only the live plan is unique per kind.
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "uq_scheduled_messages_live_booking_kind",
            "booking_id",
            "kind",
            unique=True,
            postgresql_where=text("superseded_at IS NULL"),
        ),
        Index(
            "ix_scheduled_messages_pending_due",
            "due_at",
            postgresql_where=text("sent_at IS NULL AND cancelled_at IS NULL"),
        ),
    )


class ArtistMessage(Base):
    """A message from the artist's own number: a tap on one of Inkline's buttons or words for a client.

    Never a lead's inbound message; `lead_id` is the client it turned out to be about (the thread).
    """

    __tablename__ = "artist_messages"

    wamid: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    # The wamid of the message the artist swipe-replied to (Meta's `context.id`).
    reply_to_wamid: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    raw: Mapped[dict[str, Any]]
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leads.id"))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_artist_messages_sent", "sent_at"),
        Index("ix_artist_messages_lead", "lead_id", "sent_at"),
    )


class ArtistThread(Base):
    """A message sent to the artist about one lead, by Meta's wamid: a swipe-reply to it reaches that client."""

    __tablename__ = "artist_threads"

    wamid: Mapped[str] = mapped_column(String(200), primary_key=True)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ArtistDigestSent(Base):
    """One row per local day the artist's digest went out, so a restart or a second replica sends none twice."""

    __tablename__ = "artist_digests"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
