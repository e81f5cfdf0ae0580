"""The artist's availability admin API, behind a bearer token (CALENDAR_ADMIN_TOKEN)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy.exc import IntegrityError

from inkline_calendar.api.admin_auth import admin_guard
from inkline_calendar.db.availability_store import load_availability_rules, replace_availability_rules
from inkline_calendar.domain.availability import Availability, AvailabilityError, TourLeg
from inkline_calendar.domain.seed import availability_from_dict, dump_availability
from inkline_contracts import subjects
from inkline_contracts.events.booking import TourLegPublished
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory


class TourLegIn(BaseModel):
    city: str = Field(min_length=1)
    country_code: str = Field(min_length=2, max_length=2)
    first_day: date
    last_day: date
    timezone: str | None = None


class WorkingHoursIn(BaseModel):
    """The artist's week: weekday name to "HH:MM-HH:MM" intervals (a missing or empty day is a day off)."""

    timezone: str = Field(min_length=1)
    working_hours: dict[str, list[str]]
    # None leaves it as it is (a caller from before this field).
    closed_on_public_holidays: bool | None = None


def admin_router(*, token: SecretStr, uow: UnitOfWorkFactory, seed_file: Path) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(admin_guard(token))])

    async def save(work: UnitOfWork, availability: Availability) -> dict[str, Any]:
        try:
            new_legs = await replace_availability_rules(work.session, availability)
        except IntegrityError as error:
            raise HTTPException(status.HTTP_409_CONFLICT, "tour legs overlap") from error
        for leg in new_legs:
            # No lead caused this; the leg itself is the thread that waitlisted clients hang on.
            work.publish(
                subjects.CALENDAR_TOUR_LEG_PUBLISHED,
                TourLegPublished(
                    city=leg.city,
                    country_code=leg.country_code,
                    first_day=leg.first_day,
                    last_day=leg.last_day,
                ),
                correlation_id=f"tour-leg:{leg.city}:{leg.first_day.isoformat()}",
            )
        await work.commit()
        return dump_availability(availability)

    def invalid(error: AvailabilityError) -> HTTPException:
        return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error))

    @router.get("/availability")
    async def get_availability() -> dict[str, Any]:
        """The artist's availability rules, tour legs and blackout dates."""
        async with uow() as work:
            availability = await load_availability_rules(work.session, seed_file=seed_file)
            await work.commit()
        return dump_availability(availability)

    @router.put("/availability")
    async def put_availability(body: dict[str, Any]) -> dict[str, Any]:
        """Replace the rules whole (the YAML seed's shape, as JSON); new tour legs are announced."""
        try:
            availability = availability_from_dict(body)
        except AvailabilityError as error:
            raise invalid(error) from error
        async with uow() as work:
            await load_availability_rules(work.session, seed_file=seed_file, lock=True)
            return await save(work, availability)

    @router.put("/working-hours")
    async def put_working_hours(body: WorkingHoursIn) -> dict[str, Any]:
        """Change the weekly hours and the timezone they are in; everything else stays. The next slot
        search reads them (no restart), and the rules before the change are kept as a version."""
        async with uow() as work:
            current = await load_availability_rules(work.session, seed_file=seed_file, lock=True)
            changed = {
                **dump_availability(current),
                "timezone": body.timezone,
                "working_hours": body.working_hours,
            }
            if body.closed_on_public_holidays is not None:
                changed["closed_on_public_holidays"] = body.closed_on_public_holidays
            try:
                availability = availability_from_dict(changed)
            except AvailabilityError as error:
                raise invalid(error) from error
            return await save(work, availability)

    @router.post("/tour-legs", status_code=status.HTTP_201_CREATED)
    async def add_tour_leg(body: TourLegIn) -> dict[str, Any]:
        """Add a tour leg (calendar.tour_leg_published); it must not overlap another."""
        async with uow() as work:
            current = await load_availability_rules(work.session, seed_file=seed_file, lock=True)
            try:
                leg = TourLeg(
                    city=body.city.strip(),
                    country_code=body.country_code.upper(),
                    first_day=body.first_day,
                    last_day=body.last_day,
                    timezone=body.timezone,
                )
                availability = replace(current, tour_legs=(*current.tour_legs, leg))
            except AvailabilityError as error:
                raise invalid(error) from error
            return await save(work, availability)

    @router.put("/blackout-dates/{day}")
    async def add_blackout(day: date) -> dict[str, Any]:
        """Mark a day off; nothing is suggested on it."""
        async with uow() as work:
            current = await load_availability_rules(work.session, seed_file=seed_file, lock=True)
            return await save(work, replace(current, blackout_dates=current.blackout_dates | {day}))

    @router.delete("/blackout-dates/{day}")
    async def remove_blackout(day: date) -> dict[str, Any]:
        """Make a blacked-out day a working day again."""
        async with uow() as work:
            current = await load_availability_rules(work.session, seed_file=seed_file, lock=True)
            return await save(work, replace(current, blackout_dates=current.blackout_dates - {day}))

    return router
