"""Google Calendar v3 through google-api-python-client, signed in as a service account.

The client is synchronous (httplib2), so calls run in a worker thread, each with an `Http` of its own:
httplib2 connections are not thread-safe (google-api-python-client's thread-safety guide). The client's
own retry loop is off (`num_retries=0`): retries are persisted by the calendar write queue instead, so a
restart resumes them.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth import exceptions as auth_errors
from google.auth.credentials import Credentials
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from inkline_calendar.adapters.calendar_port import (
    BOOKING_PROPERTY,
    BookingEvent,
    CalendarRejectedError,
    CalendarUnavailableError,
    CreatedEvent,
)
from inkline_calendar.domain.intervals import UtcInterval

SCOPES = ("https://www.googleapis.com/auth/calendar",)
_RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


def _reason(error: HttpError) -> str | None:
    try:
        errors = json.loads(error.content)["error"]["errors"]
        return str(errors[0]["reason"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _status(error: HttpError) -> int:
    return int(error.resp.status)


def _classify(error: HttpError) -> Exception:
    status = _status(error)
    # Google signals quota exhaustion with 403 as well as 429; only the reason tells it from "forbidden".
    if status == 429 or status >= 500 or (status == 403 and _reason(error) in _RATE_LIMIT_REASONS):
        return CalendarUnavailableError(f"{status} {_reason(error) or ''}".strip())
    return CalendarRejectedError(f"{status} {_reason(error) or error.reason}")


class GoogleCalendar:
    def __init__(
        self,
        *,
        credentials: Credentials,
        calendar_id: str,
        api_endpoint: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._credentials = credentials
        self._calendar_id = calendar_id
        self._timeout = timeout_seconds
        client_options = (
            {"api_endpoint": f"{api_endpoint.rstrip('/')}/calendar/v3/"} if api_endpoint else None
        )
        self._service: Any = build(
            "calendar",
            "v3",
            credentials=credentials,
            client_options=client_options,
            static_discovery=True,
            cache_discovery=False,
        )

    @classmethod
    def from_service_account_file(
        cls, path: str, *, calendar_id: str, api_endpoint: str | None, timeout_seconds: float
    ) -> GoogleCalendar:
        credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            path, scopes=list(SCOPES)
        )
        return cls(
            credentials=credentials,
            calendar_id=calendar_id,
            api_endpoint=api_endpoint,
            timeout_seconds=timeout_seconds,
        )

    async def busy(self, window: UtcInterval) -> list[UtcInterval]:
        body = {
            "timeMin": window.start.isoformat(),
            "timeMax": window.end.isoformat(),
            "timeZone": "UTC",
            "items": [{"id": self._calendar_id}],
        }
        answer = await self._execute(self._service.freebusy().query(body=body))
        calendar = answer.get("calendars", {}).get(self._calendar_id, {})
        if calendar.get("errors"):
            # Suggesting slots over a calendar we cannot read would offer times the artist is busy.
            raise CalendarRejectedError(f"free/busy for {self._calendar_id}: {calendar['errors']}")
        return [
            UtcInterval(datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"]))
            for period in calendar.get("busy", [])
            if period["end"] > period["start"]
        ]

    async def insert_event(self, event: BookingEvent) -> CreatedEvent:
        body = {
            "id": event.event_id,
            "summary": event.summary,
            "description": event.description,
            "start": {"dateTime": event.start.isoformat(), "timeZone": event.time_zone},
            "end": {"dateTime": event.end.isoformat(), "timeZone": event.time_zone},
            "extendedProperties": {"private": {BOOKING_PROPERTY: str(event.booking_id)}},
        }
        request = self._service.events().insert(calendarId=self._calendar_id, body=body)
        try:
            created = await self._execute(request, passthrough_statuses={409})
        except _PassthroughError:
            # 409: an earlier attempt created it (its answer was lost); the event id makes that certain.
            found = await self.find_event_by_booking(event.booking_id)
            if found is not None:
                return found
            existing = await self._execute(
                self._service.events().get(calendarId=self._calendar_id, eventId=event.event_id)
            )
            return CreatedEvent(event_id=existing["id"], html_link=existing.get("htmlLink"))
        return CreatedEvent(event_id=created["id"], html_link=created.get("htmlLink"))

    async def patch_event(self, event: BookingEvent) -> CreatedEvent | None:
        # Patch semantics: only these fields change; the id, extended properties and anything the artist
        # added by hand (notes, colour, attendees) stay as they are.
        body = {
            "summary": event.summary,
            "start": {"dateTime": event.start.isoformat(), "timeZone": event.time_zone},
            "end": {"dateTime": event.end.isoformat(), "timeZone": event.time_zone},
        }
        request = self._service.events().patch(
            calendarId=self._calendar_id, eventId=event.event_id, body=body
        )
        try:
            patched = await self._execute(request, passthrough_statuses={404})
        except _PassthroughError:
            return None
        return CreatedEvent(event_id=patched["id"], html_link=patched.get("htmlLink"))

    async def find_event_by_booking(self, booking_id: uuid.UUID) -> CreatedEvent | None:
        request = self._service.events().list(
            calendarId=self._calendar_id,
            privateExtendedProperty=f"{BOOKING_PROPERTY}={booking_id}",
            showDeleted=False,
            maxResults=1,
        )
        items = (await self._execute(request)).get("items", [])
        if not items:
            return None
        return CreatedEvent(event_id=items[0]["id"], html_link=items[0].get("htmlLink"))

    async def delete_event(self, event_id: str) -> None:
        request = self._service.events().delete(calendarId=self._calendar_id, eventId=event_id)
        try:
            await self._execute(request, passthrough_statuses={404, 410})
        except _PassthroughError:
            return  # never created, or deleted already: the goal is met

    async def _execute(
        self, request: Any, *, passthrough_statuses: frozenset[int] | set[int] = frozenset()
    ) -> Any:
        return await asyncio.to_thread(self._execute_blocking, request, passthrough_statuses)

    def _execute_blocking(self, request: Any, passthrough_statuses: frozenset[int] | set[int]) -> Any:
        http = google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=self._timeout)
        )
        try:
            return request.execute(http=http, num_retries=0)
        except HttpError as error:
            if _status(error) in passthrough_statuses:
                raise _PassthroughError(_status(error)) from error
            raise _classify(error) from error
        except auth_errors.RefreshError as error:
            # Sign-in failed: retryable when the token endpoint itself was unwell, fatal for a bad key.
            if getattr(error, "retryable", False):
                raise CalendarUnavailableError(f"sign-in: {error}") from error
            raise CalendarRejectedError(f"sign-in: {error}") from error
        except (
            auth_errors.TransportError,
            TimeoutError,
            ConnectionError,
            httplib2.HttpLib2Error,
            OSError,
        ) as error:
            raise CalendarUnavailableError(f"{type(error).__name__}: {error}") from error
        finally:
            http.http.close()


class _PassthroughError(Exception):
    """A status the caller handles itself (409 on insert, 404/410 on delete, 404 on patch)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
