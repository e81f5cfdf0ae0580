"""`GET|POST /actions/{token}`: the artist's one-tap action links.

GET only shows what would happen: WhatsApp fetches links to draw previews, so a GET must never act.
POST runs the action and consumes the token in one transaction; a refusal rolls both back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
from inkline_conversation.db.artist_settings import current_artist_settings
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
from inkline_conversation.journey.config import JourneyConfig
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


ArtistCopy = Callable[[UnitOfWork], Awaitable[Copy]]


async def artist_copy_now(config: JourneyConfig, work: UnitOfWork) -> Copy:
    """The artist's texts in the language last saved in the studio (ARTIST_LANGUAGE until then)."""
    return config.with_artist_settings(await current_artist_settings(work.session)).artist_copy


def action_router(
    *,
    uow: UnitOfWorkFactory,
    executor: ActionExecutor,
    artist_copy: ArtistCopy,
    clock: Callable[[], datetime] = utc_now,
    timezone: str = "UTC",
) -> APIRouter:
    """The action link pages, in the language the artist reads now (`artist_copy`, read per request, so a
    language saved in the studio applies at once); `timezone` is the artist's, for dates."""
    router = APIRouter(tags=["actions"])
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    zone = ZoneInfo(timezone)

    @router.get("/actions/{token}")
    async def confirm(request: Request, token: str) -> Response:
        """Show what the action link would do, to whom, with a button that POSTs it; changes nothing."""
        # Rendered inside the unit of work: leaving it rolls back, which expires the loaded rows.
        async with uow() as work:
            pages = _Pages(request, templates, await artist_copy(work), zone)
            check = await load_for_action(work.session, token, clock(), lock=False)
            if isinstance(check, ActionProblem):
                return pages.problem(check)
            details = pages.client(check)
            idea = (check.lead.qualified or {}).get("idea")
            return pages.page(
                "action_confirm.html",
                200,
                title=pages.text(f"{check.action.value}_title"),
                effect=pages.text(f"{check.action.value}_effect", name=details["client_name"]),
                button=pages.button(check.action),
                idea=idea if isinstance(idea, str) else None,
                status=status_words(check.status, pages.copy),
                expires_at=pages.when(check.token.expires_at),
                **details,
            )

    @router.post("/actions/{token}")
    async def execute(request: Request, token: str) -> Response:
        """Run the action and consume its token atomically; problems and refusals change nothing."""
        now = clock()
        async with uow() as work:
            pages = _Pages(request, templates, await artist_copy(work), zone)
            check = await load_for_action(work.session, token, now, lock=True)
            if isinstance(check, ActionProblem):
                return pages.problem(check)
            action, lead_id = check.action, check.lead.id
            try:
                done = await executor(work, check.lead, action, now)
            except ActionRefusedError as refusal:
                log.info("action_refused", lead_id=str(lead_id), action=action.value, reason=str(refusal))
                return pages.notice(
                    409, pages.text("refused_title"), str(refusal), pages.text("refused_hint")
                )
            except InvalidTransitionError as exc:
                log.warning("action_invalid_transition", lead_id=str(lead_id), action=action.value)
                return pages.wrong_status(exc.current, action)
            await consume(work.session, check, now)
            await work.commit()
        log.info("action_executed", lead_id=str(lead_id), action=action.value)
        return pages.page(
            "action_done.html", 200, title=pages.text("done_title"), message=done, **pages.client(check)
        )

    return router


class _Pages:
    """One request's pages, in the artist's language."""

    def __init__(self, request: Request, templates: Jinja2Templates, copy: Copy, zone: ZoneInfo) -> None:
        self.request, self.templates, self.copy, self.zone = request, templates, copy, zone

    def text(self, key: str, **params: ParamValue) -> str:
        return self.copy.render(f"artist_page.{key}", **params)

    def when(self, moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        locale = self.copy.formats.locale
        return self.text(
            "moment",
            day=format_skeleton("yMMMd", local, locale=locale),
            time=format_time(local, "HH:mm", locale=locale),
            zone=local.tzname() or self.zone.key,
        )

    def button(self, action: ActionKind) -> str:
        return self.copy.render(f"artist_action.{action.value}_button")

    def page(self, name: str, status_code: int, **context: object) -> Response:
        return self.templates.TemplateResponse(
            self.request,
            name,
            {"lang": self.copy.language, "words": _PageWords(self.copy), **context},
            status_code=status_code,
            headers=PAGE_HEADERS,
        )

    def problem(self, problem: ActionProblem) -> Response:
        if problem.kind is ProblemKind.USED and problem.used_at is not None:
            used = self.text("used", when=self.when(problem.used_at))
            return self.notice(410, self.text("used_title"), used, self.text("used_hint"))
        if problem.kind is ProblemKind.EXPIRED and problem.expired_at is not None:
            expired = self.text("expired", when=self.when(problem.expired_at))
            return self.notice(410, self.text("expired_title"), expired, self.text("expired_hint"))
        if problem.kind is ProblemKind.WRONG_STATUS and problem.lead_status is not None and problem.action:
            return self.wrong_status(problem.lead_status, problem.action)
        return self.notice(404, self.text("unknown_title"), self.text("unknown"))

    def wrong_status(self, status: LeadStatus, action: ActionKind) -> Response:
        stale = self.text("stale", status=status_words(status, self.copy), action=self.button(action))
        return self.notice(409, self.text("stale_title"), stale, self.text("stale_hint"))

    def notice(self, status_code: int, title: str, message: str, hint: str = "") -> Response:
        return self.page("notice.html", status_code, title=title, message=message, hint=hint, problem=True)

    def client(self, usable: UsableAction) -> dict[str, str]:
        return {
            "client_name": usable.contact.profile_name or self.text("unnamed"),
            "masked_number": client_label(
                address=usable.contact.wa_id, phone=usable.contact.phone, username=usable.contact.username
            ),
        }


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
