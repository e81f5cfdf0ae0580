"""The Calendar screen: a week of working hours, days off and tour legs in the artist's timezone; block a day
(no slot is offered on it from then on) or open it again. The calendar service keeps the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_studio.adapters.calendar_api import CalendarApi
from inkline_studio.adapters.service_api import ServiceRefusedError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.domain.week import monday_of, week_of


def calendar_pages_router(
    *, api: CalendarApi, pages: Pages, guard: Callable[[Request], SignedIn], clock: Callable[[], datetime]
) -> APIRouter:
    router = APIRouter(prefix="/calendar", tags=["calendar"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def week_page(
        request: Request, showing: date | None, *, error: str | None = None, status_code: int = 200
    ) -> Response:
        week = week_of(await api.availability(), showing=showing, now=clock())
        return pages.render(
            request, "calendar.html", week=week, error=error, screen="calendar", status_code=status_code
        )

    @router.get("", response_class=HTMLResponse)
    async def calendar_week(request: Request, week: Annotated[date | None, Query()] = None) -> Response:
        """One week, Monday first; this week unless `week` names a day in another."""
        return await week_page(request, week)

    @router.post("/days/{day}/{change}", dependencies=[csrf])
    async def change_day(request: Request, day: date, change: str) -> Response:
        """`block` makes the day a day off; `open` makes it a working day again."""
        try:
            if change == "block":
                await api.block(day)
            elif change == "open":
                await api.unblock(day)
            else:
                return await week_page(
                    request, day, error="That is not something the calendar can do.", status_code=404
                )
        except ServiceRefusedError as exc:
            return await week_page(request, day, error=exc.detail, status_code=409)
        return RedirectResponse(f"/calendar?week={monday_of(day).isoformat()}", status.HTTP_303_SEE_OTHER)

    return router
