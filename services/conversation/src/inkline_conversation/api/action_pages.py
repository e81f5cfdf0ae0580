"""`GET|POST /actions/{token}`: the artist's one-tap action links.

GET only shows what would happen: WhatsApp fetches links to draw previews, so a GET must never act.
POST runs the action and consumes the token in one transaction; a refusal rolls both back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.templating import Jinja2Templates

from inkline_conversation.db.action_tokens import (
    ActionProblem,
    ProblemKind,
    UsableAction,
    consume,
    load_for_action,
)
from inkline_conversation.db.models import Lead
from inkline_conversation.domain.client_label import client_label
from inkline_conversation.domain.status_words import status_words
from inkline_conversation.domain.statuses import (
    ActionKind,
    ActionRefusedError,
    InvalidTransitionError,
    LeadStatus,
)
from inkline_platform.clock import utc_now
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)

TEMPLATES_DIR = Path(__file__).parent / "templates"
# The token is in the URL: keep it out of Referer headers, caches and search indexes.
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


class ActionExecutor(Protocol):
    async def __call__(self, work: UnitOfWork, lead: Lead, action: ActionKind, now: datetime) -> str:
        """Apply `action` to the locked `lead` (publishing through `work`); return one sentence saying
        what was done, or raise ActionRefusedError to leave everything, the token included, unchanged."""
        ...


# Page title, what will happen (formatted with the client's name), and the button's label.
_COPY: dict[ActionKind, tuple[str, str, str]] = {
    ActionKind.APPROVE: (
        "Approve this request",
        "Inkline tells {name} you would love to do it and offers free slots from your calendar.",
        "Approve",
    ),
    ActionKind.REJECT: (
        "Decline this request",
        "Inkline lets {name} know, kindly, that you cannot take this one on.",
        "Decline",
    ),
    ActionKind.SEND_DEPOSIT: (
        "Send the deposit link",
        "Inkline sends {name} the link to pay the deposit for their held slot.",
        "Send deposit link",
    ),
    ActionKind.MARK_BOOKED: (
        "Mark as booked",
        "The lead is recorded as booked and the bot stops following up with {name}.",
        "Mark booked",
    ),
    ActionKind.TAKE_OVER: (
        "Take over the chat",
        "The bot stops replying to {name} so you can carry on the conversation yourself.",
        "Take over",
    ),
    ActionKind.RESUME_BOT: (
        "Hand the chat back to the bot",
        "The bot picks the conversation with {name} up again where it left off.",
        "Resume bot",
    ),
    ActionKind.NO_SHOW: (
        "Mark as a no-show",
        "{name} is recorded as not having come to their appointment; the deposit is kept and no aftercare "
        "messages are sent.",
        "Mark no-show",
    ),
    ActionKind.WAIVE_FEE: (
        "Waive the fee",
        "Your change policy does not apply to {name} this time: a kept deposit is refunded, or their "
        "appointment can be moved at no cost.",
        "Waive the fee",
    ),
}


def action_router(
    *,
    uow: UnitOfWorkFactory,
    executor: ActionExecutor,
    clock: Callable[[], datetime] = utc_now,
    timezone: str = "UTC",
) -> APIRouter:
    """The action link pages; `timezone` is the artist's, used to show dates."""
    router = APIRouter(tags=["actions"])
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    zone = ZoneInfo(timezone)

    def when(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return f"{local.day} {local:%b %Y at %H:%M} ({local.tzname()})"

    def page(request: Request, name: str, status_code: int, **context: object) -> Response:
        return templates.TemplateResponse(
            request, name, dict(context), status_code=status_code, headers=PAGE_HEADERS
        )

    def problem_page(request: Request, problem: ActionProblem) -> Response:
        action = _label(problem.action) if problem.action else "this action"
        if problem.kind is ProblemKind.USED and problem.used_at is not None:
            return notice(
                request,
                410,
                "Link already used",
                f"This link was already used on {when(problem.used_at)}.",
                "Each action link works once.",
            )
        if problem.kind is ProblemKind.EXPIRED and problem.expired_at is not None:
            return notice(
                request,
                410,
                "Link expired",
                f"This link expired on {when(problem.expired_at)}, so nothing was done.",
                "Use the links in the most recent summary for this client.",
            )
        if problem.kind is ProblemKind.WRONG_STATUS and problem.lead_status is not None:
            return wrong_status(request, problem.lead_status, action)
        return notice(
            request,
            404,
            "Link not recognised",
            "This action link is not valid; it may have been copied incompletely.",
        )

    def wrong_status(request: Request, status: LeadStatus, action: str) -> Response:
        return notice(
            request,
            409,
            "No longer applies",
            f"This client is now {status_words(status)}; {action} no longer applies.",
            "Nothing was changed.",
        )

    def notice(request: Request, status_code: int, title: str, message: str, hint: str = "") -> Response:
        return page(
            request, "notice.html", status_code, title=title, message=message, hint=hint, problem=True
        )

    def client(usable: UsableAction) -> dict[str, object]:
        return {
            "client_name": usable.contact.profile_name or "Unnamed client",
            "masked_number": client_label(
                address=usable.contact.wa_id, phone=usable.contact.phone, username=usable.contact.username
            ),
        }

    @router.get("/actions/{token}")
    async def confirm(request: Request, token: str) -> Response:
        """Show what the action link would do, to whom, with a button that POSTs it; changes nothing."""
        # Rendered inside the unit of work: leaving it rolls back, which expires the loaded rows.
        async with uow() as work:
            check = await load_for_action(work.session, token, clock(), lock=False)
            if isinstance(check, ActionProblem):
                return problem_page(request, check)
            title, effect, button = _COPY[check.action]
            details = client(check)
            idea = (check.lead.qualified or {}).get("idea")
            return page(
                request,
                "action_confirm.html",
                200,
                title=title,
                effect=effect.format(name=details["client_name"]),
                button=button,
                idea=idea if isinstance(idea, str) else None,
                status=status_words(check.status),
                expires_at=when(check.token.expires_at),
                **details,
            )

    @router.post("/actions/{token}")
    async def execute(request: Request, token: str) -> Response:
        """Run the action and consume its token atomically; problems and refusals change nothing."""
        now = clock()
        async with uow() as work:
            check = await load_for_action(work.session, token, now, lock=True)
            if isinstance(check, ActionProblem):
                return problem_page(request, check)
            action, lead_id = check.action, check.lead.id
            try:
                done = await executor(work, check.lead, action, now)
            except ActionRefusedError as refusal:
                log.info("action_refused", lead_id=str(lead_id), action=action.value, reason=str(refusal))
                return notice(
                    request, 409, "Not done", str(refusal), "The link still works if things change."
                )
            except InvalidTransitionError as exc:
                log.warning("action_invalid_transition", lead_id=str(lead_id), action=action.value)
                return wrong_status(request, exc.current, _label(action))
            await consume(work.session, check, now)
            await work.commit()
        log.info("action_executed", lead_id=str(lead_id), action=action.value)
        return page(request, "action_done.html", 200, title="Done", message=done, **client(check))

    return router


def _label(value: ActionKind | LeadStatus) -> str:
    return value.value.replace("_", " ")
