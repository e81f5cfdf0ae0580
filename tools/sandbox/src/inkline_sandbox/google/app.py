"""One ASGI app serving the token endpoint, Calendar v3 and Sheets v4 side by side, as Google does."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI

from inkline_sandbox.google.calendar import calendar_router
from inkline_sandbox.google.calendar_state import CalendarState
from inkline_sandbox.google.oauth import OAuthState, oauth_router
from inkline_sandbox.google.sheets import sheets_router
from inkline_sandbox.google.sheets_state import SheetsState


@dataclass
class GoogleSandbox:
    """The three fakes' states, shared by the routes and by whoever scripts or inspects them."""

    oauth: OAuthState = field(default_factory=OAuthState)
    calendar: CalendarState = field(default_factory=CalendarState)
    sheets: SheetsState = field(default_factory=SheetsState)

    def app(self) -> FastAPI:
        app = FastAPI(title="Inkline sandbox: Google", openapi_url=None, docs_url=None, redoc_url=None)
        app.include_router(oauth_router(self.oauth))
        app.include_router(calendar_router(self.calendar, self.oauth))
        app.include_router(sheets_router(self.sheets, self.oauth))
        return app
