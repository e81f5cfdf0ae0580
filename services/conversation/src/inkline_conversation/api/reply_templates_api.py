"""The studio's template picker: `GET /api/reply-templates` lists the approved templates the artist may
send a client, and `POST /api/conversations/{lead_id}/template` sends one.

Behind the same bearer token as `/api/conversations`. A template goes at any time (that is what they are
for), from the business number, in the client's language, and, as with any reply of the artist's, the
chat stays with the artist until handed back. Only a template of the list is sent: Meta refuses any
other, and the artist would learn it only from a failed send.
"""

from __future__ import annotations

import uuid

import structlog
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field, SecretStr

from inkline_contracts.events.notify import TemplateContent
from inkline_conversation.api.conversations_api import ReplySent
from inkline_conversation.api.leads_api import bearer_guard
from inkline_conversation.domain.reply_templates import ReplyTemplate, body_parameters
from inkline_conversation.domain.statuses import LeadStatus, can_transition
from inkline_conversation.journey import messages
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class TemplateIn(BaseModel):
    template: str = Field(min_length=1, max_length=512)
    # The artist's words, for a template that carries them.
    text: str = Field(default="", max_length=1024)


def reply_templates_api_router(
    *,
    uow: UnitOfWorkFactory,
    config: JourneyConfig,
    repos: RepositoriesOf,
    token: SecretStr,
    templates: list[ReplyTemplate],
) -> APIRouter:
    router = APIRouter(tags=["conversations"], dependencies=[Depends(bearer_guard(token))])
    by_name = {template.name: template for template in templates}

    @router.get("/api/reply-templates")
    async def list_templates() -> list[ReplyTemplate]:
        """The approved templates the artist may send, in the order they are offered."""
        return templates

    @router.post("/api/conversations/{lead_id}/template")
    async def send_template(lead_id: uuid.UUID, body: TemplateIn) -> ReplySent:
        """Send an approved template to the client; 422 for one not on the list or missing its words."""
        template = by_name.get(body.template)
        if template is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_ENTITY, detail="That is not one of your approved messages."
            )
        words = messages.template_parameter(body.text)
        if template.takes_words and not words:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail="Write something to send first.")
        async with uow() as work:
            turn = await open_turn(work, repos(work), config, lead_id, causation_id=None)
            if turn is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no conversation {lead_id}")
            if turn.contact.opted_out:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"{turn.client_name} asked not to get messages any more, so nothing was sent.",
                )
            if turn.status is not LeadStatus.NEEDS_ARTIST and can_transition(
                turn.status, LeadStatus.NEEDS_ARTIST
            ):
                await hand_over(turn, reason="artist_replied", packet=False)
            parameters = body_parameters(
                template, artist_name=config.artist_name, client_name=turn.contact.profile_name, words=words
            )
            turn.send(
                TemplateContent(name=template.name, language=turn.lead.language, body_parameters=parameters),
                purpose="artist_reply",
            )
            status_now = turn.lead.status
            await work.commit()
        log.info("studio_template_sent", lead_id=str(lead_id), template=template.name)
        return ReplySent(lead_id=lead_id, status=status_now, sent_as="template")

    return router
