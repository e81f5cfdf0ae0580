"""`/api/conversations`: the studio's Inbox. Every conversation newest first, one thread both ways, and the
artist's reply to the client.

Behind `Authorization: Bearer <CONVERSATION_ADMIN_TOKEN>`, as `/api/leads`. Threads are read through db/;
a reply goes the way the artist's WhatsApp reply goes (journey/artist_relay.relay): from the business
number, as text inside the client's 24-hour window and as the approved reply template outside it, and the
chat stays with the artist. Take over and hand back are `/api/leads` actions.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, Field, SecretStr

from inkline_conversation.api.leads_api import bearer_guard
from inkline_conversation.db import threads
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.statuses import ActionKind, LeadStatus, action_allowed
from inkline_conversation.journey.artist_relay import CLIENT_WINDOW, relay
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)

# Long enough to read a thread and open its pictures; the page is fetched again on the next visit.
MEDIA_LINK_LIFETIME = timedelta(hours=1)
THREAD_LIMIT = 200


class ConversationOut(BaseModel):
    lead_id: uuid.UUID
    wa_id: str
    client_name: str | None
    status: str
    language: str
    last_message_at: datetime
    # Whether a free-form reply may go now; outside it the reply goes as the approved template.
    window_open: bool
    actions: list[str]
    # The artist's timezone, for showing the thread's times as the artist lives them.
    timezone: str = "UTC"


class MessageOut(BaseModel):
    sender: str
    kind: str
    text: str | None
    at: datetime
    media_url: str | None = None
    template: str | None = None


class ThreadOut(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]


class ReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=4096)


class ReplySent(BaseModel):
    lead_id: uuid.UUID
    status: str
    # "text" inside the client's 24-hour window, "template" outside it.
    sent_as: str
    # Outside the window: the template carried the start, the rest goes when the client writes again.
    held: bool = False


def conversations_api_router(
    *,
    uow: UnitOfWorkFactory,
    config: JourneyConfig,
    repos: RepositoriesOf,
    token: SecretStr,
    media_secret: SecretStr,
    public_base_url: str,
) -> APIRouter:
    router = APIRouter(
        prefix="/api/conversations", tags=["conversations"], dependencies=[Depends(bearer_guard(token))]
    )
    clock = config.clock

    def out(found: threads.Conversation, now: datetime) -> ConversationOut:
        lead = found.lead
        current = LeadStatus(lead.status)
        return ConversationOut(
            lead_id=lead.id,
            wa_id=lead.wa_id,
            client_name=found.client_name,
            status=lead.status,
            language=lead.language,
            last_message_at=found.last_message_at,
            window_open=_window_open(lead.last_inbound_at, now),
            actions=[
                action.value
                for action in (ActionKind.TAKE_OVER, ActionKind.RESUME_BOT)
                if action_allowed(action, current)
            ],
            timezone=config.tz.key,
        )

    @router.get("")
    async def list_conversations(limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[ConversationOut]:
        """Every conversation, the one with the latest client message first."""
        now = clock()
        async with uow() as work:
            return [out(found, now) for found in await threads.conversations(work.session, limit=limit)]

    @router.get("/{lead_id}")
    async def get_thread(lead_id: uuid.UUID) -> ThreadOut:
        """One conversation and its last messages both ways, oldest first."""
        now = clock()
        async with uow() as work:
            found = await threads.conversation(work.session, lead_id)
            if found is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no conversation {lead_id}")
            messages = await threads.thread(work.session, found.lead, limit=THREAD_LIMIT)
            # Read while the session is open: the unit of work expires its rows when it ends.
            conversation = out(found, now)
        expires_at = now + MEDIA_LINK_LIFETIME
        return ThreadOut(
            conversation=conversation,
            messages=[
                MessageOut(
                    sender=message.sender,
                    kind=message.kind,
                    text=message.text,
                    at=message.at,
                    template=message.template,
                    media_url=signed_media_url(
                        base_url=public_base_url,
                        media_id=message.media_id,
                        secret=media_secret,
                        expires_at=expires_at,
                    )
                    if message.media_id
                    else None,
                )
                for message in messages
            ],
        )

    @router.post("/{lead_id}/reply")
    async def reply(lead_id: uuid.UUID, body: ReplyIn) -> ReplySent:
        """The artist's words to the client, from the business number; the chat stays with the artist."""
        async with uow() as work:
            turn = await open_turn(work, repos(work), config, lead_id, causation_id=None)
            if turn is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no conversation {lead_id}")
            if turn.contact.opted_out:
                # The journey would drop it silently; the artist must know it did not go.
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"{turn.client_name} asked not to get messages any more, so nothing was sent.",
                )
            sent_as = "text" if _window_open(turn.lead.last_inbound_at, turn.now) else "template"
            held = await relay(turn, body.text)
            status_now = turn.lead.status
            await work.commit()
        log.info("studio_reply_sent", lead_id=str(lead_id), sent_as=sent_as)
        return ReplySent(lead_id=lead_id, status=status_now, sent_as=sent_as, held=held)

    return router


def _window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < CLIENT_WINDOW
