"""The artist's availability rules: where they are, when they work and how long sessions take."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from inkline_calendar.domain.local_time import MINUTES_PER_DAY, local_wall


class AvailabilityError(ValueError):
    """Availability rules that cannot be honoured as written."""


class SizeCategory(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    FULL_DAY = "full_day"


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def normalise_place(name: str) -> str:
    """Fold case and accents so "london", "London" and "Zürich"/"Zurich" compare equal."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _require_timezone(name: str, *, what: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise AvailabilityError(f"unknown timezone {name!r} for {what}") from error


def _require_country_code(code: str, *, what: str) -> None:
    if len(code) != 2 or not code.isascii() or not code.isalpha() or not code.isupper():
        raise AvailabilityError(
            f"{what} country code must be two upper-case letters (ISO 3166), got {code!r}"
        )


@dataclass(frozen=True)
class WorkingInterval:
    """Local wall-clock working time within one day; overnight intervals are not supported."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for label, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is not None:
                raise AvailabilityError(f"working hours {label} {value} must be a local time without a zone")
            if value.second or value.microsecond:
                raise AvailabilityError(f"working hours {label} {value} must be a whole minute")
        if self.end <= self.start:
            raise AvailabilityError(
                f"working hours end {self.end:%H:%M} must be after start {self.start:%H:%M}"
            )


@dataclass(frozen=True)
class WeeklyHours:
    monday: tuple[WorkingInterval, ...] = ()
    tuesday: tuple[WorkingInterval, ...] = ()
    wednesday: tuple[WorkingInterval, ...] = ()
    thursday: tuple[WorkingInterval, ...] = ()
    friday: tuple[WorkingInterval, ...] = ()
    saturday: tuple[WorkingInterval, ...] = ()
    sunday: tuple[WorkingInterval, ...] = ()

    def __post_init__(self) -> None:
        for day_field in fields(self):
            intervals = tuple(sorted(getattr(self, day_field.name), key=lambda i: i.start))
            for earlier, later in pairwise(intervals):
                if later.start < earlier.end:
                    raise AvailabilityError(
                        f"{day_field.name} working hours overlap: "
                        f"{earlier.start:%H:%M}-{earlier.end:%H:%M} and {later.start:%H:%M}-{later.end:%H:%M}"
                    )
            object.__setattr__(self, day_field.name, intervals)

    def on(self, weekday: int) -> tuple[WorkingInterval, ...]:
        """Intervals for ``weekday`` numbered as ``date.weekday()`` (Monday is 0)."""
        intervals: tuple[WorkingInterval, ...] = getattr(self, WEEKDAY_NAMES[weekday])
        return intervals


@dataclass(frozen=True)
class SessionLengths:
    """Minutes per size category.

    ``full_day`` sessions take a whole working interval; the minutes given for it are the
    shortest interval that still counts as a full day, so a short Saturday is not offered.
    """

    small: int
    medium: int
    large: int
    full_day: int

    def __post_init__(self) -> None:
        for category in SizeCategory:
            minutes = self.minutes_for(category)
            if minutes <= 0:
                raise AvailabilityError(f"session length for {category} must be positive, got {minutes}")

    def minutes_for(self, category: SizeCategory) -> int:
        minutes: int = getattr(self, category.value)
        return minutes


@dataclass(frozen=True)
class TourLeg:
    """The artist works in ``city`` from ``first_day`` to ``last_day`` inclusive.

    ``timezone`` is where the leg happens; ``None`` means the artist's home timezone.
    Dates and working hours during the leg are read on that zone's clock, so a
    10:00-18:00 day in New York is 10:00-18:00 New York time.
    """

    city: str
    country_code: str
    first_day: date
    last_day: date
    timezone: str | None = None

    def __post_init__(self) -> None:
        if not self.city.strip():
            raise AvailabilityError("tour leg city must not be empty")
        _require_country_code(self.country_code, what=f"tour leg {self.city}")
        if self.timezone is not None:
            _require_timezone(self.timezone, what=f"tour leg {self.city}")
        if self.last_day < self.first_day:
            raise AvailabilityError(
                f"tour leg {self.city} ends on {self.last_day} before it starts on {self.first_day}"
            )

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Availability:
    timezone: str
    home_city: str
    home_country_code: str
    working_hours: WeeklyHours
    session_minutes: SessionLengths
    buffer_minutes: int = 0
    minimum_notice_hours: int = 0
    horizon_days: int = 90
    slot_step_minutes: int = 30
    blackout_dates: frozenset[date] = field(default_factory=frozenset)
    tour_legs: tuple[TourLeg, ...] = ()
    # Closed on the national public holidays of wherever the artist works that day (home, or a tour leg's
    # country): no Christmas Day or bank holiday is offered unless the artist opens it.
    closed_on_public_holidays: bool = False

    def __post_init__(self) -> None:
        _require_timezone(self.timezone, what="the artist")
        if not self.home_city.strip():
            raise AvailabilityError("home city must not be empty")
        _require_country_code(self.home_country_code, what="home")
        if self.buffer_minutes < 0:
            raise AvailabilityError(f"buffer minutes must not be negative, got {self.buffer_minutes}")
        if self.minimum_notice_hours < 0:
            raise AvailabilityError(
                f"minimum notice hours must not be negative, got {self.minimum_notice_hours}"
            )
        if self.horizon_days <= 0:
            raise AvailabilityError(f"booking horizon must be at least one day, got {self.horizon_days}")
        if self.slot_step_minutes <= 0 or MINUTES_PER_DAY % self.slot_step_minutes:
            raise AvailabilityError(
                f"slot step must be a positive number of minutes dividing a day, got {self.slot_step_minutes}"
            )
        object.__setattr__(self, "blackout_dates", frozenset(self.blackout_dates))
        legs = tuple(sorted(self.tour_legs, key=lambda leg: leg.first_day))
        for earlier, later in pairwise(legs):
            if later.first_day <= earlier.last_day:
                raise AvailabilityError(
                    f"tour legs overlap: {earlier.city} {earlier.first_day}..{earlier.last_day} "
                    f"and {later.city} {later.first_day}..{later.last_day}"
                )
        object.__setattr__(self, "tour_legs", legs)

    @property
    def zone(self) -> ZoneInfo:
        """The home timezone."""
        return ZoneInfo(self.timezone)

    def leg_on(self, day: date) -> TourLeg | None:
        for leg in self.tour_legs:
            if leg.covers(day):
                return leg
        return None

    def location_on(self, day: date) -> tuple[str, str]:
        """``(city, country_code)`` where the artist works on local date ``day``."""
        leg = self.leg_on(day)
        if leg is None:
            return self.home_city, self.home_country_code
        return leg.city, leg.country_code

    def zone_at(self, instant: datetime) -> ZoneInfo:
        """The zone of the place a session starting at ``instant`` is in (a tour city may differ)."""
        return self.zone_on(local_wall(instant, self.zone).date())

    def country_of(self, *, city: str, day: date) -> str | None:
        """The country of ``city`` if the artist works there on ``day``; None when the rules do not say."""
        where_city, where_country = self.location_on(day)
        return where_country if normalise_place(where_city) == normalise_place(city) else None

    def zone_on(self, day: date) -> ZoneInfo:
        """The zone whose clock the working hours of ``day`` are read on."""
        leg = self.leg_on(day)
        return ZoneInfo(leg.timezone if leg is not None and leg.timezone is not None else self.timezone)

    def is_in(self, *, day: date, city: str, country_code: str | None) -> bool:
        """Whether the artist is in ``city`` on ``day``; ``country_code=None`` matches any country."""
        where_city, where_country = self.location_on(day)
        if normalise_place(where_city) != normalise_place(city):
            return False
        return country_code is None or where_country == country_code.strip().upper()

    def working_intervals_on(self, day: date) -> tuple[WorkingInterval, ...]:
        """Working intervals on ``day``, none on blackout dates (nor on public holidays, when closed on them)."""
        if day in self.blackout_dates:
            return ()
        if self.closed_on_public_holidays and day in public_holidays(self.location_on(day)[1], day.year):
            return ()
        return self.working_hours.on(day.weekday())


@cache
def public_holidays(country_code: str, year: int) -> frozenset[date]:
    """The nationwide public holidays of a country in one year (none known for a country the library lacks).

    Regional ones (a German state's, Scotland's own) are left out: the country is all the rules know.
    """
    try:
        return frozenset(holidays.country_holidays(country_code, years=year))
    except NotImplementedError:
        return frozenset()
