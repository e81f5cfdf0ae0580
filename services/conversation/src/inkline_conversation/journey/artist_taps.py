"""A tap on a button of the artist's summary or alert: the same rules as the action link behind it.

The button's id carries the action token, so a tap is the link's POST by another road: single use,
valid only while the lead's status allows it, and a refusal changes nothing (its own unit of work).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import structlog

from inkline_conversation.db.action_tokens import ActionProblem, ProblemKind, consume, load_for_action
from inkline_conversation.db.models import Lead
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.statuses import ActionKind, ActionRefusedError, InvalidTransitionError
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)

# What api/action_pages.py calls an ActionExecutor (journey/artist_actions.ArtistActions in the service).
Executor = Callable[[UnitOfWork, Lead, ActionKind, datetime], Awaitable[str]]

# A button id is this prefix and the action token (43 characters; Meta allows 256).
TAP_PREFIX = "act:"


def tap_id(token: str) -> str:
    return f"{TAP_PREFIX}{token}"


def token_of(button_id: str | None) -> str | None:
    """The action token a tapped button carries, or None for anything else the artist sent."""
    if button_id and button_id.startswith(TAP_PREFIX):
        return button_id.removeprefix(TAP_PREFIX)
    return None


@dataclass(frozen=True)
class TapOutcome:
    answer: str  # what the artist is told, one or two short sentences
    lead_id: uuid.UUID | None


async def run_tap(
    uow: UnitOfWorkFactory,
    executor: Executor,
    token: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    copy: Copy | None = None,
) -> TapOutcome:
    """Run the token's action now, consuming the token with it; problems and refusals change nothing.
    The answer is in `copy`'s language, the artist's (English by default)."""
    texts = copy or Copy.for_language("en")
    async with uow() as work:
        check = await load_for_action(work.session, token, now, lock=True)
        if isinstance(check, ActionProblem):
            return TapOutcome(_problem(check, zone, texts), None)
        action, lead_id = check.action, check.lead.id
        try:
            done = await executor(work, check.lead, action, now)
        except ActionRefusedError as refusal:
            log.info("tap_refused", lead_id=str(lead_id), action=action.value)
            return TapOutcome(texts.render("artist_action.not_done", refusal=str(refusal)), lead_id)
        except InvalidTransitionError:
            return TapOutcome(texts.render("artist_action.no_longer_applies"), lead_id)
        await consume(work.session, check, now)
        await work.commit()
    log.info("tap_executed", lead_id=str(lead_id), action=action.value)
    return TapOutcome(done, lead_id)


def _problem(problem: ActionProblem, zone: ZoneInfo, copy: Copy) -> str:
    if problem.kind is ProblemKind.USED and problem.used_at is not None:
        local = problem.used_at.astimezone(zone)
        return copy.render("artist_action.already_tapped", day=local.date(), time=f"{local:%H:%M}")
    if problem.kind is ProblemKind.EXPIRED:
        return copy.render("artist_action.too_old")
    if problem.kind is ProblemKind.WRONG_STATUS and problem.lead_status is not None:
        return copy.render("artist_action.no_longer_applies")
    return copy.render("artist_action.unrecognised_tap")
