"""Calendar v3 fake driven by google-api-python-client with real service-account credentials."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import google_auth_httplib2
import httplib2
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from inkline_sandbox.google import CalendarFault, CalendarOperation, CalendarState, GoogleSandbox
from inkline_sandbox.server import serve_in_background

MakeCredentials = Callable[[rsa.RSAPrivateKey, str], service_account.Credentials]
ARTIST = "artist@example.com"
DAY = datetime(2030, 3, 4, tzinfo=UTC)


def calendar_client(base_url: str, **auth: Any) -> Any:
    # api_endpoint replaces rootUrl + servicePath wholesale, so it must include /calendar/v3/.
    return build(
        "calendar",
        "v3",
        client_options={"api_endpoint": f"{base_url}/calendar/v3/"},
        static_discovery=True,
        cache_discovery=False,
        **auth,
    )


@pytest.fixture
def calendar(credentials: service_account.Credentials, base_url: str) -> Any:
    return calendar_client(base_url, credentials=credentials)


def run(request: Any, retries: int = 0) -> Any:
    """Execute with the client's own retry loop, minus its randomised sleeps."""
    request._sleep = lambda _seconds: None
    return request.execute(num_retries=retries)


def booking_event(event_id: str, start: datetime, hours: int = 2, **private: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "summary": "Tattoo session",
        "description": "Fine-line rose, forearm",
        "start": {"dateTime": start.isoformat(), "timeZone": "Europe/Berlin"},
        "end": {"dateTime": (start + timedelta(hours=hours)).isoformat(), "timeZone": "Europe/Berlin"},
        "extendedProperties": {"private": private},
    }


def new_id() -> str:
    return "bk" + uuid.uuid4().hex


def error_reason(error: HttpError) -> tuple[int, str]:
    body = json.loads(error.content)
    return int(error.resp.status), body["error"]["errors"][0]["reason"]


def test_freebusy_reports_hand_made_blocks_clipped_to_the_window_and_merged(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=7), DAY + timedelta(hours=10))
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=9), DAY + timedelta(hours=11))
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=15), DAY + timedelta(hours=16))
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(days=2), DAY + timedelta(days=2, hours=1))

    body = {
        "timeMin": (DAY + timedelta(hours=8)).isoformat(),
        "timeMax": (DAY + timedelta(hours=20)).isoformat(),
        "items": [{"id": ARTIST}],
    }
    answer = run(calendar.freebusy().query(body=body))

    assert answer["kind"] == "calendar#freeBusy"
    assert answer["timeMin"] == "2030-03-04T08:00:00.000Z"
    assert answer["calendars"] == {
        ARTIST: {
            "busy": [
                {"start": "2030-03-04T08:00:00Z", "end": "2030-03-04T11:00:00Z"},
                {"start": "2030-03-04T15:00:00Z", "end": "2030-03-04T16:00:00Z"},
            ]
        }
    }


def test_freebusy_answers_in_the_requested_time_zone(calendar: Any, sandbox: GoogleSandbox) -> None:
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=9), DAY + timedelta(hours=10))

    body = {
        "timeMin": DAY.isoformat(),
        "timeMax": (DAY + timedelta(days=1)).isoformat(),
        "timeZone": "Europe/Berlin",
        "items": [{"id": ARTIST}],
    }
    busy = run(calendar.freebusy().query(body=body))["calendars"][ARTIST]["busy"]

    assert busy == [{"start": "2030-03-04T10:00:00+01:00", "end": "2030-03-04T11:00:00+01:00"}]


def test_insert_stores_the_event_in_googles_shape_with_private_extended_properties(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    event_id = new_id()
    created = run(
        calendar.events().insert(
            calendarId=ARTIST, body=booking_event(event_id, DAY + timedelta(hours=12), booking_id="b-42")
        )
    )

    assert created["kind"] == "calendar#event"
    assert created["id"] == event_id
    assert created["status"] == "confirmed"
    assert created["htmlLink"].startswith("https://www.google.com/calendar/event?eid=")
    assert created["created"].endswith("Z")
    assert created["etag"].startswith('"')
    assert created["start"] == {"dateTime": "2030-03-04T12:00:00+00:00", "timeZone": "Europe/Berlin"}
    assert created["extendedProperties"] == {"private": {"booking_id": "b-42"}}
    assert run(calendar.events().get(calendarId=ARTIST, eventId=event_id)) == created
    assert [e["id"] for e in sandbox.calendar.events(ARTIST)] == [event_id]


def test_inserting_an_existing_event_id_is_a_409_duplicate(calendar: Any) -> None:
    event = booking_event(new_id(), DAY + timedelta(hours=12))
    run(calendar.events().insert(calendarId=ARTIST, body=event))

    with pytest.raises(HttpError) as raised:
        run(calendar.events().insert(calendarId=ARTIST, body=event))

    assert error_reason(raised.value) == (409, "duplicate")
    assert raised.value.reason == "The requested identifier already exists."


@pytest.mark.parametrize("bad_id", ["abcd", "UPPERCASE1", "has-dash-123", "wxyz12345"])
def test_an_event_id_outside_base32hex_or_too_short_is_a_400_invalid(calendar: Any, bad_id: str) -> None:
    with pytest.raises(HttpError) as raised:
        run(calendar.events().insert(calendarId=ARTIST, body=booking_event(bad_id, DAY)))

    assert error_reason(raised.value) == (400, "invalid")


def test_list_filters_by_private_extended_property_and_pages(calendar: Any, sandbox: GoogleSandbox) -> None:
    sandbox.calendar.add_busy_block(ARTIST, DAY, DAY + timedelta(hours=1))
    mine = [new_id() for _ in range(3)]
    for hour, event_id in enumerate(mine):
        body = booking_event(event_id, DAY + timedelta(hours=10 + hour), 1, inkline_tenant="t1")
        run(calendar.events().insert(calendarId=ARTIST, body=body))
    other = booking_event(new_id(), DAY + timedelta(hours=20), 1, inkline_tenant="t2")
    run(calendar.events().insert(calendarId=ARTIST, body=other))

    first = run(
        calendar.events().list(
            calendarId=ARTIST,
            privateExtendedProperty="inkline_tenant=t1",
            singleEvents=True,
            orderBy="startTime",
            maxResults=2,
        )
    )
    second = run(
        calendar.events().list(
            calendarId=ARTIST,
            privateExtendedProperty="inkline_tenant=t1",
            singleEvents=True,
            orderBy="startTime",
            maxResults=2,
            pageToken=first["nextPageToken"],
        )
    )

    assert first["kind"] == "calendar#events"
    assert [e["id"] for e in first["items"]] == mine[:2]
    assert [e["id"] for e in second["items"]] == mine[2:]
    assert "nextPageToken" not in second


def test_list_time_window_bounds_event_end_and_start_exclusively(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    early = sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=8), DAY + timedelta(hours=10))
    inside = sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=11), DAY + timedelta(hours=12))
    sandbox.calendar.add_busy_block(ARTIST, DAY + timedelta(hours=14), DAY + timedelta(hours=15))

    listed = run(
        calendar.events().list(
            calendarId=ARTIST,
            timeMin=(DAY + timedelta(hours=9)).isoformat(),
            timeMax=(DAY + timedelta(hours=14)).isoformat(),
        )
    )

    assert [e["id"] for e in listed["items"]] == [early["id"], inside["id"]]


def test_delete_is_204_then_410_deleted_and_the_event_stays_readable_as_cancelled(calendar: Any) -> None:
    event_id = new_id()
    run(calendar.events().insert(calendarId=ARTIST, body=booking_event(event_id, DAY)))

    assert run(calendar.events().delete(calendarId=ARTIST, eventId=event_id)) == ""
    with pytest.raises(HttpError) as raised:
        run(calendar.events().delete(calendarId=ARTIST, eventId=event_id))

    assert error_reason(raised.value) == (410, "deleted")
    assert run(calendar.events().get(calendarId=ARTIST, eventId=event_id))["status"] == "cancelled"
    assert run(calendar.events().list(calendarId=ARTIST))["items"] == []
    with pytest.raises(HttpError) as reinserted:
        run(calendar.events().insert(calendarId=ARTIST, body=booking_event(event_id, DAY)))
    assert error_reason(reinserted.value) == (409, "duplicate")


def test_patch_merges_extended_properties_and_moves_the_event(calendar: Any) -> None:
    event_id = new_id()
    body = booking_event(event_id, DAY + timedelta(hours=10), booking_id="b-1", state="held")
    original = run(calendar.events().insert(calendarId=ARTIST, body=body))

    patched = run(
        calendar.events().patch(
            calendarId=ARTIST,
            eventId=event_id,
            body={
                "start": {"dateTime": "2030-03-04T14:00:00+00:00"},
                "end": {"dateTime": "2030-03-04T16:00:00+00:00"},
                "extendedProperties": {"private": {"state": "confirmed"}},
            },
        )
    )

    assert patched["extendedProperties"]["private"] == {"booking_id": "b-1", "state": "confirmed"}
    assert patched["start"] == {"dateTime": "2030-03-04T14:00:00+00:00", "timeZone": "Europe/Berlin"}
    assert patched["summary"] == "Tattoo session"
    assert patched["sequence"] == 1
    assert patched["etag"] != original["etag"]


def test_patching_an_event_that_does_not_exist_is_a_404_not_found_and_creates_nothing(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    event_id = new_id()

    with pytest.raises(HttpError) as raised:
        run(
            calendar.events().patch(
                calendarId=ARTIST,
                eventId=event_id,
                body={"start": {"dateTime": "2030-03-04T14:00:00+00:00"}},
            )
        )

    assert error_reason(raised.value) == (404, "notFound")
    assert sandbox.calendar.events(ARTIST, include_cancelled=True) == []
    assert [(c.operation, c.event_id, c.status) for c in sandbox.calendar.calls] == [
        (CalendarOperation.PATCH, event_id, 404)
    ]


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        (CalendarFault.RATE_LIMIT_429, 429),
        (CalendarFault.RATE_LIMIT_403, 403),
        (CalendarFault.USER_RATE_LIMIT_403, 403),
        (CalendarFault.BACKEND_ERROR_500, 500),
        (CalendarFault.UNAVAILABLE_503, 503),
    ],
)
def test_scripted_transient_faults_are_retried_by_the_client_until_it_succeeds(
    calendar: Any, sandbox: GoogleSandbox, fault: CalendarFault, status: int
) -> None:
    sandbox.calendar.inject(CalendarOperation.INSERT, fault, times=2)

    created = run(calendar.events().insert(calendarId=ARTIST, body=booking_event(new_id(), DAY)), retries=2)

    statuses = [c.status for c in sandbox.calendar.calls if c.operation is CalendarOperation.INSERT]
    assert statuses == [status, status, 200]
    assert [e["id"] for e in sandbox.calendar.events(ARTIST)] == [created["id"]]


def test_a_rate_limit_outlasting_the_retries_surfaces_googles_reason(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    sandbox.calendar.inject("freebusy", "rate_limit_403", times=3)
    body = {"timeMin": DAY.isoformat(), "timeMax": (DAY + timedelta(days=1)).isoformat(), "items": []}

    with pytest.raises(HttpError) as raised:
        run(calendar.freebusy().query(body=body), retries=1)

    assert error_reason(raised.value) == (403, "rateLimitExceeded")
    assert sandbox.calendar.faults.pending(CalendarOperation.FREEBUSY) == 1


def test_create_then_timeout_and_a_retry_leaves_exactly_one_event(
    credentials: service_account.Credentials, base_url: str, sandbox: GoogleSandbox
) -> None:
    impatient = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=0.5))
    calendar = calendar_client(base_url, http=impatient)
    sandbox.calendar.inject(CalendarOperation.INSERT, CalendarFault.CREATE_THEN_TIMEOUT)
    event_id = new_id()

    # What an idempotent adapter does: retry the same id, and read a 409 as "already created".
    with pytest.raises(HttpError) as raised:
        run(calendar.events().insert(calendarId=ARTIST, body=booking_event(event_id, DAY)), retries=1)
    assert error_reason(raised.value) == (409, "duplicate")
    existing = run(calendar.events().get(calendarId=ARTIST, eventId=event_id))

    assert existing["id"] == event_id
    assert [e["id"] for e in sandbox.calendar.events(ARTIST)] == [event_id]
    inserts = [c.status for c in sandbox.calendar.calls if c.operation is CalendarOperation.INSERT]
    assert inserts == [200, 409]


def test_requests_without_a_valid_bearer_token_get_googles_401(base_url: str) -> None:
    response = httpx.get(
        f"{base_url}/calendar/v3/calendars/{ARTIST}/events", headers={"Authorization": "Bearer nope"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["errors"][0] == {
        "domain": "global",
        "reason": "authError",
        "message": "Invalid Credentials",
        "locationType": "header",
        "location": "Authorization",
    }


def test_a_revoked_token_is_refreshed_transparently_by_google_auth(
    calendar: Any, sandbox: GoogleSandbox
) -> None:
    run(calendar.events().list(calendarId=ARTIST))
    sandbox.oauth.revoke_all()

    run(calendar.events().list(calendarId=ARTIST))

    assert len(sandbox.oauth.grants) == 2


def test_unknown_calendars_are_404_or_freebusy_errors_when_calendars_must_exist(
    rsa_key: rsa.RSAPrivateKey, make_credentials: MakeCredentials
) -> None:
    strict = GoogleSandbox(calendar=CalendarState(auto_create_calendars=False))
    strict.calendar.add_calendar(ARTIST)
    with serve_in_background(strict.app()) as url:
        calendar = calendar_client(url, credentials=make_credentials(rsa_key, url))
        with pytest.raises(HttpError) as raised:
            run(calendar.events().list(calendarId="stranger@example.com"))
        body = {
            "timeMin": DAY.isoformat(),
            "timeMax": (DAY + timedelta(days=1)).isoformat(),
            "items": [{"id": ARTIST}, {"id": "stranger@example.com"}],
        }
        answer = run(calendar.freebusy().query(body=body))

    assert error_reason(raised.value) == (404, "notFound")
    assert answer["calendars"] == {
        ARTIST: {"busy": []},
        "stranger@example.com": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []},
    }
