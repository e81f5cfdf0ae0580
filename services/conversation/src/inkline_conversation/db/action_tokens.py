"""Issuing artist action links and checking a presented token against the lead it is bound to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.db.models import ActionToken, Contact, Lead
from inkline_conversation.domain.action_tokens import hash_token, new_token
from inkline_conversation.domain.statuses import ActionKind, LeadStatus, action_allowed


async def issue_action_links(
    session: AsyncSession,
    *,
    lead_id: uuid.UUID,
    actions: Iterable[ActionKind],
    now: datetime,
    ttl: timedelta,
    base_url: str,
) -> dict[ActionKind, str]:
    """Store one fresh token per action (hashed) and return each action's full link."""
    links: dict[ActionKind, str] = {}
    for action in actions:
        token = new_token()
        session.add(
            ActionToken(
                token_hash=hash_token(token),
                lead_id=lead_id,
                action=action.value,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        links[action] = f"{base_url.rstrip('/')}/actions/{token}"
    await session.flush()
    return links


@dataclass(frozen=True)
class UsableAction:
    """A token that may be used now, with the lead it acts on and that lead's contact."""

    token: ActionToken
    lead: Lead
    contact: Contact

    @property
    def action(self) -> ActionKind:
        return ActionKind(self.token.action)

    @property
    def status(self) -> LeadStatus:
        return LeadStatus(self.lead.status)


class ProblemKind(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    WRONG_STATUS = "wrong_status"


@dataclass(frozen=True)
class ActionProblem:
    """Why a token cannot be used; carries what the artist needs to understand it."""

    kind: ProblemKind
    action: ActionKind | None = None
    used_at: datetime | None = None
    expired_at: datetime | None = None
    lead_status: LeadStatus | None = None


ActionCheck = UsableAction | ActionProblem


async def load_for_action(session: AsyncSession, token: str, now: datetime, *, lock: bool) -> ActionCheck:
    """Find the token's lead and say whether the action may run now.

    With `lock`, the token row and then the lead row are taken FOR UPDATE, always in that order, so two
    requests with the same token serialise on the token: the second sees the first's `used_at` once it
    commits. The caller consumes the token (`consume`) in the same transaction as the action's effect.
    """
    query = select(ActionToken).where(ActionToken.token_hash == hash_token(token))
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()
    if row is None:
        return ActionProblem(ProblemKind.UNKNOWN)
    action = ActionKind(row.action)
    if row.used_at is not None:
        return ActionProblem(ProblemKind.USED, action=action, used_at=row.used_at)
    if row.expires_at <= now:
        return ActionProblem(ProblemKind.EXPIRED, action=action, expired_at=row.expires_at)
    lead_query = select(Lead).where(Lead.id == row.lead_id)
    if lock:
        lead_query = lead_query.with_for_update()
    lead = (await session.execute(lead_query.execution_options(populate_existing=True))).scalar_one()
    status = LeadStatus(lead.status)
    if not action_allowed(action, status):
        return ActionProblem(ProblemKind.WRONG_STATUS, action=action, lead_status=status)
    contact = await session.get_one(Contact, lead.wa_id)
    return UsableAction(token=row, lead=lead, contact=contact)


async def consume(session: AsyncSession, usable: UsableAction, now: datetime) -> None:
    """Mark the token used; only meaningful inside the transaction that applied the action."""
    usable.token.used_at = now
    await session.flush()
