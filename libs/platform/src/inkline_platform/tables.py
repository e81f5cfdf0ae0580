"""The outbox and inbox tables that every service's database carries."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

platform_metadata = MetaData()

outbox = Table(
    "outbox",
    platform_metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("message_id", Uuid, nullable=False, unique=True),
    Column("subject", String(200), nullable=False),
    Column("stream", String(100), nullable=False),
    Column("correlation_id", String(200), nullable=False),
    Column("body", Text, nullable=False, comment="the envelope as JSON, published byte for byte"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Column(
        "headers",
        JSONB(none_as_null=True),
        comment="NATS headers to publish with the row, e.g. the W3C traceparent",
    ),
    Index("ix_outbox_pending", "seq", postgresql_where=text("published_at IS NULL")),
)

inbox = Table(
    "inbox",
    platform_metadata,
    Column("consumer", String(200), primary_key=True),
    Column("message_id", Uuid, primary_key=True),
    Column("subject", String(200), nullable=False),
    Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
