"""In-memory Calendar v3: calendars, events, scripted faults and a log of calls, safe across threads."""

from __future__ import annotations

import base64
import copy
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from inkline_sandbox.google.calendar_errors import CalendarError, CalendarFault
from inkline_sandbox.google.calendar_time import busy_bound, merge_periods, now, parse_event_time, stamp
from inkline_sandbox.google.faults import FaultScript

Event = dict[str, Any]
# events.insert's rule for client-chosen ids (discovery doc, Event.id): base32hex, 5 to 1024 characters.
_EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")
_BASE32HEX = "0123456789abcdefghijklmnopqrstuv"
# Fields the server owns; a body that sends them cannot overwrite them.
_SERVER_FIELDS = ("kind", "etag", "htmlLink", "created", "updated", "iCalUID", "creator", "organizer")


class CalendarOperation(StrEnum):
    FREEBUSY = "freebusy"
    INSERT = "insert"
    GET = "get"
    LIST = "list"
    PATCH = "patch"
    DELETE = "delete"


@dataclass(frozen=True)
class CalendarCall:
    operation: CalendarOperation
    calendar_id: str | None
    event_id: str | None
    status: int


@dataclass
class _Calendar:
    time_zone: str
    events: dict[str, Event] = field(default_factory=dict)


def _merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> None:
    """Google patch semantics: objects merge key by key, arrays and scalars replace, null deletes."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_patch(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


class CalendarState:
    """Everything the Calendar fake knows; tests seed it, script faults on it and inspect it."""

    def __init__(
        self, *, time_zone: str = "UTC", auto_create_calendars: bool = True, stall_seconds: float = 3.0
    ) -> None:
        self.time_zone = time_zone
        # The hub wants any calendar id to work; strict tests can demand calendars be added first (404).
        self.auto_create_calendars = auto_create_calendars
        self.stall_seconds = stall_seconds
        self.faults: FaultScript[CalendarOperation, CalendarFault] = FaultScript()
        self._lock = threading.RLock()
        self._calendars: dict[str, _Calendar] = {}
        self._calls: list[CalendarCall] = []
        self._etag_clock = 0

    # -- seeding, scripting and inspection ---------------------------------------------------------------

    def add_calendar(self, calendar_id: str, *, time_zone: str | None = None) -> None:
        with self._lock:
            self._calendars.setdefault(calendar_id, _Calendar(time_zone or self.time_zone))

    def inject(self, operation: CalendarOperation | str, fault: CalendarFault | str, times: int = 1) -> None:
        """Make the next ``times`` calls to ``operation`` fail with ``fault``."""
        self.faults.add(CalendarOperation(operation), CalendarFault(fault), times)

    def add_busy_block(
        self, calendar_id: str, start: datetime, end: datetime, *, summary: str = "Busy"
    ) -> Event:
        """An event the artist made by hand in Google Calendar (no extended properties)."""
        body = {
            "summary": summary,
            "start": {"dateTime": start.isoformat()},
            "end": {"dateTime": end.isoformat()},
        }
        return self.insert_event(calendar_id, body)

    def events(self, calendar_id: str, *, include_cancelled: bool = False) -> list[Event]:
        with self._lock:
            calendar = self._calendars.get(calendar_id)
            if calendar is None:
                return []
            return [
                copy.deepcopy(e)
                for e in calendar.events.values()
                if include_cancelled or e["status"] != "cancelled"
            ]

    @property
    def calls(self) -> list[CalendarCall]:
        with self._lock:
            return list(self._calls)

    def record(self, call: CalendarCall) -> None:
        with self._lock:
            self._calls.append(call)

    # -- the API -----------------------------------------------------------------------------------------

    def _calendar(self, calendar_id: str) -> _Calendar:
        calendar = self._calendars.get(calendar_id)
        if calendar is None:
            if not self.auto_create_calendars:
                raise CalendarError(404, "notFound", "Not Found")
            calendar = self._calendars[calendar_id] = _Calendar(self.time_zone)
        return calendar

    def _event(self, calendar_id: str, event_id: str) -> Event:
        event = self._calendar(calendar_id).events.get(event_id)
        if event is None:
            raise CalendarError(404, "notFound", "Not Found")
        return event

    def _touch(self, event: Event) -> None:
        self._etag_clock = max(self._etag_clock + 1, time.time_ns() // 1000)
        event["etag"] = f'"{self._etag_clock}"'
        event["updated"] = stamp(now())

    def _check_times(self, event: Event, time_zone: str) -> None:
        start = parse_event_time(event.get("start"), "start", time_zone)
        end = parse_event_time(event.get("end"), "end", time_zone)
        if end < start:
            raise CalendarError(
                400, "timeRangeEmpty", "The specified time range is empty.", domain="calendar"
            )

    def insert_event(self, calendar_id: str, body: dict[str, Any]) -> Event:
        with self._lock:
            calendar = self._calendar(calendar_id)
            event_id = body.get("id")
            if event_id is None:
                event_id = "".join(secrets.choice(_BASE32HEX) for _ in range(26))
            elif not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
                raise CalendarError(400, "invalid", "Invalid resource id value.")
            elif event_id in calendar.events:
                # Cancelled events keep their id, so re-inserting a deleted id is a duplicate too.
                raise CalendarError(409, "duplicate", "The requested identifier already exists.")
            event: Event = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SERVER_FIELDS}
            self._check_times(event, calendar.time_zone)
            eid = base64.urlsafe_b64encode(f"{event_id} {calendar_id}".encode()).decode().rstrip("=")
            event.update(
                kind="calendar#event",
                id=event_id,
                status=body.get("status", "confirmed"),
                htmlLink=f"https://www.google.com/calendar/event?eid={eid}",
                created=stamp(now()),
                creator={"email": calendar_id, "self": True},
                organizer={"email": calendar_id, "self": True},
                iCalUID=f"{event_id}@google.com",
                sequence=0,
                reminders=body.get("reminders", {"useDefault": True}),
                eventType=body.get("eventType", "default"),
            )
            self._touch(event)
            calendar.events[event_id] = event
            return copy.deepcopy(event)

    def get_event(self, calendar_id: str, event_id: str) -> Event:
        with self._lock:
            # A deleted event is still readable, with status "cancelled", as Google keeps it.
            return copy.deepcopy(self._event(calendar_id, event_id))

    def patch_event(self, calendar_id: str, event_id: str, patch: dict[str, Any]) -> Event:
        with self._lock:
            calendar = self._calendar(calendar_id)
            current = self._event(calendar_id, event_id)
            updated = copy.deepcopy(current)
            _merge_patch(updated, {k: v for k, v in patch.items() if k not in (*_SERVER_FIELDS, "id")})
            self._check_times(updated, calendar.time_zone)
            if (updated.get("start"), updated.get("end")) != (current.get("start"), current.get("end")):
                updated["sequence"] = int(current.get("sequence", 0)) + 1
            self._touch(updated)
            calendar.events[event_id] = updated
            return copy.deepcopy(updated)

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        with self._lock:
            event = self._event(calendar_id, event_id)
            if event["status"] == "cancelled":
                raise CalendarError(410, "deleted", "Resource has been deleted")
            event["status"] = "cancelled"
            self._touch(event)

    def bounds(self, calendar_id: str, event: Event) -> tuple[datetime, datetime]:
        time_zone = self._calendars[calendar_id].time_zone if calendar_id in self._calendars else "UTC"
        return (
            parse_event_time(event["start"], "start", time_zone),
            parse_event_time(event["end"], "end", time_zone),
        )

    def list_events(
        self,
        calendar_id: str,
        *,
        private_properties: dict[str, str],
        time_min: datetime | None,
        time_max: datetime | None,
        show_deleted: bool,
        order_by_start: bool,
    ) -> list[Event]:
        with self._lock:
            matches: list[tuple[datetime, Event]] = []
            for event in self._calendar(calendar_id).events.values():
                if event["status"] == "cancelled" and not show_deleted:
                    continue
                private = event.get("extendedProperties", {}).get("private", {})
                if any(private.get(k) != v for k, v in private_properties.items()):
                    continue
                start, end = self.bounds(calendar_id, event)
                # timeMin bounds the event's end and timeMax its start, both exclusive (events.list docs).
                if (time_min and end <= time_min) or (time_max and start >= time_max):
                    continue
                matches.append((start, copy.deepcopy(event)))
            if order_by_start:
                matches.sort(key=lambda pair: pair[0])
            return [event for _, event in matches]

    def free_busy(
        self, calendar_ids: list[str], time_min: datetime, time_max: datetime, time_zone: str
    ) -> dict[str, Any]:
        calendars: dict[str, Any] = {}
        with self._lock:
            for calendar_id in calendar_ids:
                if calendar_id not in self._calendars and not self.auto_create_calendars:
                    calendars[calendar_id] = {
                        "errors": [{"domain": "global", "reason": "notFound"}],
                        "busy": [],
                    }
                    continue
                periods = [
                    self.bounds(calendar_id, event)
                    for event in self._calendar(calendar_id).events.values()
                    if event["status"] != "cancelled" and event.get("transparency") != "transparent"
                ]
                calendars[calendar_id] = {
                    "busy": [
                        {"start": busy_bound(s, time_zone), "end": busy_bound(e, time_zone)}
                        for s, e in merge_periods(periods, time_min, time_max)
                    ]
                }
        return {
            "kind": "calendar#freeBusy",
            "timeMin": stamp(time_min),
            "timeMax": stamp(time_max),
            "calendars": calendars,
        }
