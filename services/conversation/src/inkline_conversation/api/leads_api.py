"""`/api/leads`: the artist's leads for the studio, and the same actions as the action links.

Behind `Authorization: Bearer <CONVERSATION_ADMIN_TOKEN>`. An action here follows the action links' rules:
allowed only in the statuses the action table allows, run by the same executor under the lead's row
lock, and a refusal changes nothing. There is no token to consume: the bearer token is the authority.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, SecretStr
from sqlalchemy import select

from inkline_conversation.api.action_pages import ActionExecutor
from inkline_conversation.db.lead_search import after_cursor, matching_lead_ids
from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.statuses import (
    ActionKind,
    ActionRefusedError,
    InvalidTransitionError,
    LeadStatus,
    action_allowed,
)
from inkline_platform.credentials import credential_matches
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)
BEARER = HTTPBearer(auto_error=False, description="CONVERSATION_ADMIN_TOKEN")
# Long enough to look through the board; the next page load signs them again.
PICTURE_LINK_LIFETIME = timedelta(hours=1)


class LeadOut(BaseModel):
    lead_id: uuid.UUID
    wa_id: str
    client_name: str | None
    status: str
    language: str
    created_at: datetime
    status_changed_at: datetime
    last_inbound_at: datetime | None
    size_category: str | None
    answers: dict[str, Any] | None
    actions: list[str]
    # Signed links to the reference pictures the client sent (api/media_links.py), for an hour.
    pictures: list[str] = []


class ActionDone(BaseModel):
    lead_id: uuid.UUID
    status: str
    message: str


def _out(lead: Lead, contact_name: str | None, pictures: Callable[[Lead], list[str]]) -> LeadOut:
    status_now = LeadStatus(lead.status)
    return LeadOut(
        lead_id=lead.id,
        wa_id=lead.wa_id,
        client_name=contact_name,
        status=lead.status,
        language=lead.language,
        created_at=lead.created_at,
        status_changed_at=lead.status_changed_at,
        last_inbound_at=lead.last_inbound_at,
        size_category=lead.size_category,
        answers=lead.qualified,
        actions=[action.value for action in ActionKind if action_allowed(action, status_now)],
        pictures=pictures(lead),
    )


def bearer_guard(expected: SecretStr) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    def require(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
        if credentials is None or not credential_matches(
            credentials.credentials, expected.get_secret_value()
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="a valid admin token is required: Authorization: Bearer <CONVERSATION_ADMIN_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return require


def leads_api_router(
    *,
    uow: UnitOfWorkFactory,
    executor: ActionExecutor,
    token: SecretStr,
    clock: Callable[[], datetime],
    media_secret: SecretStr | None = None,
    public_base_url: str = "",
) -> APIRouter:
    router = APIRouter(prefix="/api/leads", tags=["leads"], dependencies=[Depends(bearer_guard(token))])

    def pictures(lead: Lead) -> list[str]:
        media_ids = (lead.qualified or {}).get("reference_media_ids")
        if media_secret is None or not isinstance(media_ids, list):
            return []
        expires_at = clock() + PICTURE_LINK_LIFETIME
        return [
            signed_media_url(
                base_url=public_base_url, media_id=str(media_id), secret=media_secret, expires_at=expires_at
            )
            for media_id in media_ids
        ]

    @router.get("")
    async def list_leads(
        lead_status: Annotated[list[LeadStatus] | None, Query(alias="status")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        q: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
        after_changed_at: Annotated[datetime | None, Query()] = None,
        after_id: Annotated[uuid.UUID | None, Query()] = None,
    ) -> list[LeadOut]:
        """Leads, most recently changed first; `status` (repeatable) narrows them, `q` searches names,
        @usernames, phone digits and ideas (db/lead_search.py), and `after_changed_at` with `after_id`
        (the last lead of the previous page) gives the next page."""
        query = select(Lead, Contact.profile_name).join(Contact, Contact.wa_id == Lead.wa_id)
        if lead_status:
            query = query.where(Lead.status.in_([s.value for s in lead_status]))
        if q is not None:
            if not q.strip().lstrip("@").strip():
                return []  # "@@" or spaces: nothing to look for, so nothing found (not every lead)
            query = query.where(Lead.id.in_(matching_lead_ids(q)))
        if after_changed_at is not None and after_id is not None:
            query = query.where(after_cursor(after_changed_at, after_id))
        query = query.order_by(Lead.status_changed_at.desc(), Lead.id).limit(limit)
        async with uow() as work:
            return [_out(lead, name, pictures) for lead, name in (await work.session.execute(query)).all()]

    @router.get("/{lead_id}")
    async def get_lead(lead_id: uuid.UUID) -> LeadOut:
        """One lead with its answers and the actions its status allows."""
        async with uow() as work:
            row = (
                await work.session.execute(
                    select(Lead, Contact.profile_name)
                    .join(Contact, Contact.wa_id == Lead.wa_id)
                    .where(Lead.id == lead_id)
                )
            ).first()
            if row is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no lead {lead_id}")
            return _out(row[0], row[1], pictures)

    @router.post("/{lead_id}/actions/{action}")
    async def act(lead_id: uuid.UUID, action: ActionKind) -> ActionDone:
        """Approve, reject, send the deposit link, mark booked, take over, hand back, no-show or waive the
        fee, as the action link would; 409 with the reason when the lead's status does not allow it."""
        now = clock()
        async with uow() as work:
            lead = await work.session.get(Lead, lead_id, with_for_update=True, populate_existing=True)
            if lead is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no lead {lead_id}")
            current = LeadStatus(lead.status)
            if not action_allowed(action, current):
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"This lead is now {_label(current)}; {_label(action)} no longer applies.",
                )
            try:
                message = await executor(work, lead, action, now)
            except ActionRefusedError as refusal:
                log.info("studio_action_refused", lead_id=str(lead_id), action=action.value)
                raise HTTPException(status.HTTP_409_CONFLICT, detail=str(refusal)) from None
            except InvalidTransitionError as exc:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"This lead is now {_label(exc.current)}; {_label(action)} no longer applies.",
                ) from None
            await work.commit()
            log.info("studio_action_executed", lead_id=str(lead_id), action=action.value)
            return ActionDone(lead_id=lead_id, status=lead.status, message=message)

    return router


def _label(value: ActionKind | LeadStatus) -> str:
    return value.value.replace("_", " ")
