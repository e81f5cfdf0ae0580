"""A client's conversation read back for the studio's Inbox: what the client wrote (inbound_messages) and
what went to them (the notify.send rows this service queued in its outbox, correlated by the lead).

The outbox already holds every message queued to a client, committed with the change that caused it, so
the thread needs no second copy of them; the index of migration 0010 makes one lead's rows cheap to find.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_contracts import subjects
from inkline_conversation.db.models import Contact, InboundMessage, Lead
from inkline_platform.tables import outbox

# What each of the client's media kinds carries its Graph media id under (Meta's message object).
MEDIA_KINDS = frozenset({"image", "audio", "video", "document", "sticker"})


@dataclass(frozen=True)
class Conversation:
    lead: Lead
    client_name: str | None
    last_message_at: datetime


@dataclass(frozen=True)
class ThreadMessage:
    """One message of a thread. `sender` is client, assistant or artist (the artist's words relayed)."""

    sender: str
    kind: str
    text: str | None
    at: datetime
    media_id: str | None = None
    template: str | None = None


async def conversations(session: AsyncSession, *, limit: int) -> list[Conversation]:
    """Leads with a client message, the latest message first (the leads' `last_inbound_at` index)."""
    last = func.coalesce(Lead.last_inbound_at, Lead.created_at)
    rows = await session.execute(
        select(Lead, Contact.profile_name, last)
        .join(Contact, Contact.wa_id == Lead.wa_id)
        .order_by(last.desc(), Lead.id)
        .limit(limit)
    )
    return [Conversation(lead=lead, client_name=name, last_message_at=at) for lead, name, at in rows.all()]


async def conversation(session: AsyncSession, lead_id: uuid.UUID) -> Conversation | None:
    row = (
        await session.execute(
            select(Lead, Contact.profile_name)
            .join(Contact, Contact.wa_id == Lead.wa_id)
            .where(Lead.id == lead_id)
        )
    ).first()
    if row is None:
        return None
    lead, name = row
    return Conversation(lead=lead, client_name=name, last_message_at=lead.last_inbound_at or lead.created_at)


async def thread(session: AsyncSession, lead: Lead, *, limit: int) -> list[ThreadMessage]:
    """The last `limit` messages both ways, oldest first (as a chat reads)."""
    inbound = await session.scalars(
        select(InboundMessage)
        .where(InboundMessage.lead_id == lead.id)
        .order_by(InboundMessage.sent_at.desc())
        .limit(limit)
    )
    messages = [_from_client(row) for row in inbound]
    sent = await session.execute(
        select(outbox.c.body, outbox.c.created_at)
        .where(outbox.c.correlation_id == str(lead.id), outbox.c.subject == subjects.NOTIFY_SEND.name)
        .order_by(outbox.c.seq.desc())
        .limit(limit)
    )
    for body, created_at in sent.all():
        message = sent_message(json.loads(body), lead.wa_id, created_at)
        if message is not None:
            messages.append(message)
    messages.sort(key=lambda message: message.at)
    return messages[-limit:]


def _from_client(row: InboundMessage) -> ThreadMessage:
    media = row.raw.get(row.kind) if row.kind in MEDIA_KINDS else None
    media_id = media.get("id") if isinstance(media, dict) else None
    caption = media.get("caption") if isinstance(media, dict) else None
    return ThreadMessage(
        sender="client",
        kind=row.kind,
        text=row.text or caption,
        at=row.sent_at,
        media_id=str(media_id) if media_id else None,
    )


def sent_message(envelope: dict[str, Any], wa_id: str, created_at: datetime) -> ThreadMessage | None:
    """A queued notify.send as the client read it; None for one to anyone else (the artist's alerts)."""
    payload = envelope.get("payload") or {}
    if payload.get("to") != wa_id:
        return None
    content = payload.get("content") or {}
    sender = "artist" if payload.get("purpose") == "artist_reply" else "assistant"
    kind = str(content.get("kind", "text"))
    if kind == "template":
        # The template's own words are Meta's; the last parameter is what was said (the artist's words).
        parameters = content.get("body_parameters") or []
        return ThreadMessage(
            sender=sender,
            kind=kind,
            text=parameters[-1] if parameters else None,
            at=created_at,
            template=str(content.get("name")),
        )
    return ThreadMessage(sender=sender, kind=kind, text=content.get("body"), at=created_at)
