"""Rendering the studio's pages: one Jinja2 environment, the signed-in person and the CSRF token in each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from inkline_studio.api.session import CSRF_FIELD, Sessions
from inkline_studio.domain.inbox_wording import media_label, message_time, sender_label
from inkline_studio.domain.lead_board import answer_lines, board_actions, language_name, status_words
from inkline_studio.domain.media_links import same_origin
from inkline_studio.domain.wording import money, recipient_label, status_label

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# The screens in the navigation bar, in the order an artist reaches for them.
SCREENS = (
    ("inbox", "Inbox", "/inbox"),
    ("leads", "Leads", "/leads"),
    ("calendar", "Calendar", "/calendar"),
    ("campaigns", "Campaigns", "/campaigns"),
    ("settings", "Settings", "/settings"),
)


class Pages:
    def __init__(self, sessions: Sessions) -> None:
        self.templates = Jinja2Templates(directory=TEMPLATES_DIR)
        self.templates.env.filters.update(
            money=money,
            status_label=status_label,
            recipient_label=recipient_label,
            status_words=status_words,
            language_name=language_name,
            answer_lines=answer_lines,
            board_actions=board_actions,
            sender_label=sender_label,
            media_label=media_label,
            message_time=message_time,
            same_origin=same_origin,
        )
        self.sessions = sessions

    def render(self, request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        context = {
            "csrf_field": CSRF_FIELD,
            "csrf_token": self.sessions.csrf_token(request),
            "signed_in": self.sessions.current(request) is not None,
            "screens": SCREENS,
            **context,
        }
        response = self.templates.TemplateResponse(request, name, context, status_code=status_code)
        self.sessions.remember_csrf(request, response)
        return response
