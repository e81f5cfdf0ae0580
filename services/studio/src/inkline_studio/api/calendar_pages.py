"""The Calendar screen: a week of working hours, days off, tour legs, bookings and holds (with the time
each hold has left) in the artist's timezone. Block a day or open it again, change the working hours and
the timezone, add a tour leg, and move a booking (the client is told, as after a reschedule in chat).
The calendar service keeps every rule and decides every change; this screen only asks."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_studio.adapters.calendar_api import CalendarApi
from inkline_studio.adapters.service_api import ServiceRefusedError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.domain.calendar_forms import (
    FormError,
    hours_field,
    move_start_of,
    timezone_of,
    timezones,
    tour_leg_of,
    working_hours_of,
)
from inkline_studio.domain.week import WEEKDAYS, monday_of, week_of, with_reservations

LeadIdeas = Callable[[Iterable[uuid.UUID]], Awaitable[dict[uuid.UUID, str]]]


def _refusal(error: ServiceRefusedError) -> str:
    """The calendar's reason when it is meant for the artist, a plain one when it names its own fields."""
    if "overlap" in error.detail:  # 422 from the rules, 409 from the database when two edits race
        return "Those dates overlap another tour."
    if error.status_code == 422:
        return "The calendar could not take that. Check the days and times."
    return error.detail


def calendar_pages_router(
    *,
    api: CalendarApi,
    lead_ideas: LeadIdeas,
    pages: Pages,
    guard: Callable[[Request], SignedIn],
    clock: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(prefix="/calendar", tags=["calendar"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def week_page(
        request: Request,
        showing: date | None,
        *,
        error: str | None = None,
        typed: Mapping[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        rules = await api.availability()
        now = clock()
        week = week_of(rules, showing=showing, now=now)
        reservations = await api.reservations(week.starts, week.ends)
        ideas = await lead_ideas(r.lead_id for r in reservations) if reservations else {}
        week = with_reservations(week, reservations, ideas=ideas, now=now)
        hours = {
            hours_field(weekday): ", ".join(rules.get("working_hours", {}).get(weekday) or [])
            for weekday in WEEKDAYS
        }
        return pages.render(
            request,
            "calendar.html",
            week=week,
            hours=hours,
            closed_on_holidays=bool(rules.get("closed_on_public_holidays", False)),
            weekdays=WEEKDAYS,
            timezones=timezones(),
            typed=typed or {},
            error=error,
            screen="calendar",
            status_code=status_code,
        )

    async def form_of(request: Request) -> dict[str, str]:
        return {key: value for key, value in (await request.form()).items() if isinstance(value, str)}

    def back_to(day: date) -> Response:
        return RedirectResponse(f"/calendar?week={monday_of(day).isoformat()}", status.HTTP_303_SEE_OTHER)

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
        return back_to(day)

    @router.post("/hours", dependencies=[csrf])
    async def change_hours(request: Request, week: Annotated[date | None, Query()] = None) -> Response:
        """New weekly hours and timezone; the next slot offer uses them."""
        form = await form_of(request)
        try:
            zone, hours = timezone_of(form), working_hours_of(form)
            await api.set_working_hours(
                timezone=zone,
                working_hours=hours,
                closed_on_public_holidays=form.get("closed_on_public_holidays") == "on",
            )
        except FormError as exc:
            return await week_page(request, week, error=str(exc), typed=form, status_code=422)
        except ServiceRefusedError as exc:
            return await week_page(request, week, error=_refusal(exc), typed=form, status_code=422)
        return RedirectResponse(
            f"/calendar?week={week.isoformat()}" if week else "/calendar", status.HTTP_303_SEE_OTHER
        )

    @router.post("/tour-legs", dependencies=[csrf])
    async def add_tour_leg(request: Request, week: Annotated[date | None, Query()] = None) -> Response:
        """A tour leg; clients waiting for that city hear about it."""
        form = await form_of(request)
        try:
            leg = tour_leg_of(form)
            await api.add_tour_leg(
                city=leg.city, country_code=leg.country_code, first_day=leg.first_day, last_day=leg.last_day
            )
        except FormError as exc:
            return await week_page(request, week, error=str(exc), typed=form, status_code=422)
        except ServiceRefusedError as exc:
            return await week_page(request, week, error=_refusal(exc), typed=form, status_code=409)
        return back_to(leg.first_day)

    @router.post("/bookings/{booking_id}/move", dependencies=[csrf])
    async def move_booking(
        request: Request, booking_id: uuid.UUID, week: Annotated[date | None, Query()] = None
    ) -> Response:
        """Move a booking to the day and time picked (drag and drop fills the same form)."""
        form = await form_of(request)
        try:
            zone = str((await api.availability()).get("timezone") or "UTC")
            start = move_start_of(form, timezone=zone)
            await api.move(booking_id, start)
        except FormError as exc:
            return await week_page(request, week, error=str(exc), status_code=422)
        except ServiceRefusedError as exc:
            message = "Pick a time that has not passed." if exc.status_code == 422 else exc.detail
            return await week_page(request, week, error=message, status_code=409)
        return back_to(start.date())

    return router
