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
from babel.dates import format_skeleton, format_time
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
from inkline_conversation.domain.copy import Copy, ParamValue, UnknownCopyKeyError
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


def action_router(
    *,
    uow: UnitOfWorkFactory,
    executor: ActionExecutor,
    copy: Copy,
    clock: Callable[[], datetime] = utc_now,
    timezone: str = "UTC",
) -> APIRouter:
    """The action link pages, in the artist's language (`copy`); `timezone` is the artist's, for dates."""
    router = APIRouter(tags=["actions"])
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    zone = ZoneInfo(timezone)

    def text(key: str, **params: ParamValue) -> str:
        return copy.render(f"artist_page.{key}", **params)

    def when(moment: datetime) -> str:
        local = moment.astimezone(zone)
        locale = copy.formats.locale
        return text(
            "moment",
            day=format_skeleton("yMMMd", local, locale=locale),
            time=format_time(local, "HH:mm", locale=locale),
            zone=local.tzname() or timezone,
        )

    def button(action: ActionKind) -> str:
        return copy.render(f"artist_action.{action.value}_button")

    def page(request: Request, name: str, status_code: int, **context: object) -> Response:
        return templates.TemplateResponse(
            request,
            name,
            {"lang": copy.language, "words": _PageWords(copy), **context},
            status_code=status_code,
            headers=PAGE_HEADERS,
        )

    def problem_page(request: Request, problem: ActionProblem) -> Response:
        if problem.kind is ProblemKind.USED and problem.used_at is not None:
            return notice(
                request, 410, text("used_title"), text("used", when=when(problem.used_at)), text("used_hint")
            )
        if problem.kind is ProblemKind.EXPIRED and problem.expired_at is not None:
            return notice(
                request,
                410,
                text("expired_title"),
                text("expired", when=when(problem.expired_at)),
                text("expired_hint"),
            )
        if problem.kind is ProblemKind.WRONG_STATUS and problem.lead_status is not None and problem.action:
            return wrong_status(request, problem.lead_status, problem.action)
        return notice(request, 404, text("unknown_title"), text("unknown"))

    def wrong_status(request: Request, status: LeadStatus, action: ActionKind) -> Response:
        return notice(
            request,
            409,
            text("stale_title"),
            text("stale", status=status_words(status, copy), action=button(action)),
            text("stale_hint"),
        )

    def notice(request: Request, status_code: int, title: str, message: str, hint: str = "") -> Response:
        return page(
            request, "notice.html", status_code, title=title, message=message, hint=hint, problem=True
        )

    def client(usable: UsableAction) -> dict[str, str]:
        return {
            "client_name": usable.contact.profile_name or text("unnamed"),
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
            details = client(check)
            idea = (check.lead.qualified or {}).get("idea")
            return page(
                request,
                "action_confirm.html",
                200,
                title=text(f"{check.action.value}_title"),
                effect=text(f"{check.action.value}_effect", name=details["client_name"]),
                button=button(check.action),
                idea=idea if isinstance(idea, str) else None,
                status=status_words(check.status, copy),
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
                return notice(request, 409, text("refused_title"), str(refusal), text("refused_hint"))
            except InvalidTransitionError as exc:
                log.warning("action_invalid_transition", lead_id=str(lead_id), action=action.value)
                return wrong_status(request, exc.current, action)
            await consume(work.session, check, now)
            await work.commit()
        log.info("action_executed", lead_id=str(lead_id), action=action.value)
        return page(request, "action_done.html", 200, title=text("done_title"), message=done, **client(check))

    return router


class _PageWords:
    """The pages' fixed words (labels, notes) for the templates: `words.client`, `words.done_note(...)`."""

    def __init__(self, copy: Copy) -> None:
        self._copy = copy

    def __getattr__(self, key: str) -> str:
        try:
            return self._copy.render(f"artist_page.{key}")
        except UnknownCopyKeyError:
            raise AttributeError(key) from None

    def done_note(self, name: str, number: str) -> str:
        return self._copy.render("artist_page.done_note", name=name, number=number)
