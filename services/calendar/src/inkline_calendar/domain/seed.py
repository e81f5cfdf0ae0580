"""Reading and writing availability rules as plain data (the YAML seed, the admin API, the DB row).

The dict produced by ``dump_availability`` is JSON-able and is the only persisted shape,
so ``availability_from_dict(dump_availability(a)) == a`` must always hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

import yaml

from inkline_calendar.domain.availability import (
    WEEKDAY_NAMES,
    Availability,
    AvailabilityError,
    SessionLengths,
    SizeCategory,
    TourLeg,
    WeeklyHours,
    WorkingInterval,
)

_TOP_LEVEL_REQUIRED = frozenset({"timezone", "home", "working_hours", "session_minutes"})
_TOP_LEVEL_OPTIONAL = frozenset(
    {
        "buffer_minutes",
        "minimum_notice_hours",
        "horizon_days",
        "slot_step_minutes",
        "blackout_dates",
        "closed_on_public_holidays",
        "tour_legs",
    }
)
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def load_availability(yaml_text: str) -> Availability:
    try:
        data = yaml.safe_load(yaml_text)
    # PyYAML builds dates while parsing, so 2026-13-01 surfaces as ValueError, not YAMLError.
    except (yaml.YAMLError, ValueError) as error:
        raise AvailabilityError(f"availability seed is not valid YAML: {error}") from error
    return availability_from_dict(data)


def availability_from_dict(data: object) -> Availability:
    root = _mapping(data, "availability")
    _check_keys(root, required=_TOP_LEVEL_REQUIRED, optional=_TOP_LEVEL_OPTIONAL, path="availability")
    home = _mapping(root["home"], "home")
    _check_keys(home, required=frozenset({"city", "country_code"}), optional=frozenset(), path="home")
    defaults = Availability.__dataclass_fields__
    return Availability(
        timezone=_string(root["timezone"], "timezone"),
        home_city=_string(home["city"], "home.city"),
        home_country_code=_string(home["country_code"], "home.country_code").upper(),
        working_hours=_weekly_hours(root["working_hours"]),
        session_minutes=_session_lengths(root["session_minutes"]),
        buffer_minutes=_integer(
            root.get("buffer_minutes", defaults["buffer_minutes"].default), "buffer_minutes"
        ),
        minimum_notice_hours=_integer(
            root.get("minimum_notice_hours", defaults["minimum_notice_hours"].default), "minimum_notice_hours"
        ),
        horizon_days=_integer(root.get("horizon_days", defaults["horizon_days"].default), "horizon_days"),
        slot_step_minutes=_integer(
            root.get("slot_step_minutes", defaults["slot_step_minutes"].default), "slot_step_minutes"
        ),
        blackout_dates=frozenset(
            _date(value, f"blackout_dates[{index}]")
            for index, value in enumerate(_sequence(root.get("blackout_dates", []), "blackout_dates"))
        ),
        tour_legs=tuple(
            _tour_leg(value, f"tour_legs[{index}]")
            for index, value in enumerate(_sequence(root.get("tour_legs", []), "tour_legs"))
        ),
        closed_on_public_holidays=_boolean(
            root.get("closed_on_public_holidays", False), "closed_on_public_holidays"
        ),
    )


def dump_availability(availability: Availability) -> dict[str, Any]:
    return {
        "timezone": availability.timezone,
        "home": {"city": availability.home_city, "country_code": availability.home_country_code},
        "working_hours": {
            name: [
                f"{interval.start:%H:%M}-{interval.end:%H:%M}"
                for interval in availability.working_hours.on(weekday)
            ]
            for weekday, name in enumerate(WEEKDAY_NAMES)
        },
        "session_minutes": {
            category.value: availability.session_minutes.minutes_for(category) for category in SizeCategory
        },
        "buffer_minutes": availability.buffer_minutes,
        "minimum_notice_hours": availability.minimum_notice_hours,
        "horizon_days": availability.horizon_days,
        "slot_step_minutes": availability.slot_step_minutes,
        "blackout_dates": [day.isoformat() for day in sorted(availability.blackout_dates)],
        "closed_on_public_holidays": availability.closed_on_public_holidays,
        "tour_legs": [
            {
                "city": leg.city,
                "country_code": leg.country_code,
                "first_day": leg.first_day.isoformat(),
                "last_day": leg.last_day.isoformat(),
                **({} if leg.timezone is None else {"timezone": leg.timezone}),
            }
            for leg in availability.tour_legs
        ],
    }


def _weekly_hours(value: object) -> WeeklyHours:
    days = _mapping(value, "working_hours")
    _check_keys(days, required=frozenset(), optional=frozenset(WEEKDAY_NAMES), path="working_hours")
    parsed: dict[str, tuple[WorkingInterval, ...]] = {}
    for name, intervals in days.items():
        # A bare weekday key ("monday:") reads as null in YAML and means a day off.
        items = [] if intervals is None else _sequence(intervals, f"working_hours.{name}")
        parsed[name] = tuple(
            _working_interval(item, f"working_hours.{name}[{index}]") for index, item in enumerate(items)
        )
    return WeeklyHours(**parsed)


def _working_interval(value: object, path: str) -> WorkingInterval:
    if not isinstance(value, str):
        raise AvailabilityError(f'{path}: write working hours as a quoted string like "10:00-18:00"')
    match = _INTERVAL.match(value)
    if match is None:
        raise AvailabilityError(f'{path}: expected "HH:MM-HH:MM", got {value!r}')
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    try:
        start, end = time(start_hour, start_minute), time(end_hour, end_minute)
    except ValueError as error:
        raise AvailabilityError(f"{path}: {value!r} is not a valid time range ({error})") from error
    try:
        return WorkingInterval(start, end)
    except AvailabilityError as error:
        raise AvailabilityError(f"{path}: {error}") from error


def _session_lengths(value: object) -> SessionLengths:
    lengths = _mapping(value, "session_minutes")
    names = frozenset(category.value for category in SizeCategory)
    _check_keys(lengths, required=names, optional=frozenset(), path="session_minutes")
    return SessionLengths(**{name: _integer(lengths[name], f"session_minutes.{name}") for name in names})


def _tour_leg(value: object, path: str) -> TourLeg:
    leg = _mapping(value, path)
    _check_keys(
        leg,
        required=frozenset({"city", "country_code", "first_day", "last_day"}),
        optional=frozenset({"timezone"}),
        path=path,
    )
    timezone = leg.get("timezone")
    return TourLeg(
        city=_string(leg["city"], f"{path}.city"),
        country_code=_string(leg["country_code"], f"{path}.country_code").upper(),
        first_day=_date(leg["first_day"], f"{path}.first_day"),
        last_day=_date(leg["last_day"], f"{path}.last_day"),
        timezone=None if timezone is None else _string(timezone, f"{path}.timezone"),
    )


def _check_keys(
    mapping: Mapping[str, object], *, required: frozenset[str], optional: frozenset[str], path: str
) -> None:
    missing = sorted(required - mapping.keys())
    if missing:
        raise AvailabilityError(f"{path}: missing {', '.join(missing)}")
    # Unknown keys are usually typos ("wendesday"), and ignoring them would silently drop hours.
    unknown = sorted(mapping.keys() - required - optional)
    if unknown:
        raise AvailabilityError(f"{path}: unknown key(s) {', '.join(unknown)}")


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise AvailabilityError(f"{path}: expected a mapping with text keys")
    return value


def _sequence(value: object, path: str) -> list[object]:
    if not isinstance(value, list | tuple):
        raise AvailabilityError(f"{path}: expected a list")
    return list(value)


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise AvailabilityError(f"{path}: expected text, got {value!r}")
    return value


def _integer(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AvailabilityError(f"{path}: expected a whole number, got {value!r}")
    return value


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise AvailabilityError(f"{path}: expected true or false, got {value!r}")
    return value


def _date(value: object, path: str) -> date:
    # YAML turns 2026-05-01 into a date already; JSON round-trips deliver ISO text.
    if isinstance(value, datetime):
        raise AvailabilityError(f"{path}: expected a date without a time, got {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise AvailabilityError(f"{path}: expected an ISO date like 2026-05-01, got {value!r}") from error
    raise AvailabilityError(f"{path}: expected a date, got {value!r}")
