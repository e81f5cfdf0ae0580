"""The whole service: real NATS, real PostgreSQL, the real Google adapter against the fake, restarts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inkline_calendar.app import create_app
from inkline_calendar.db import MIGRATIONS_DIR
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.settings import CalendarSettings
from inkline_calendar.testing import declare_streams, publish_command
from inkline_contracts import subjects
from inkline_contracts.base import Money, SizeCategory, TimeRange
from inkline_contracts.events.booking import MoveBooking
from inkline_contracts.events.deposit import DepositPaid
from inkline_contracts.events.hold import PlaceHold
from inkline_contracts.events.slots import RequestSlots
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.google import CalendarFault, CalendarOperation, GoogleSandbox

SEED = Path(__file__).parent / "data" / "availability.yaml"
TOKEN = "test-calendar-admin-token-32-chr"  # 32 characters, as outside the sandbox
# Far enough ahead of any test run for the hold to be in the future.
SLOT_START = datetime(2040, 3, 13, 10, 0, tzinfo=UTC)


def settings(url: str, nats_url: str, **overrides: Any) -> CalendarSettings:
    values: dict[str, Any] = {
        "database_url": url,
        "nats_url": nats_url,
        "availability_seed_file": SEED,
        "calendar_admin_token": TOKEN,
        "calendar_sync_seconds": 0.1,
        "calendar_retry_base_seconds": 0.05,
        "hold_sweep_seconds": 0.2,
        "log_json": False,
        **overrides,
    }
    return CalendarSettings(**values)


def google_settings(
    url: str, nats_url: str, *, service_account_file: Path, google_url: str, **overrides: Any
) -> CalendarSettings:
    """Outside the sandbox: the real Google adapter, signed in against the local Google fake."""
    return settings(
        url,
        nats_url,
        inkline_sandbox=False,
        google_service_account_file=str(service_account_file),
        google_api_endpoint=google_url,
        google_calendar_id="artist@example.com",
        **overrides,
    )


def hub_settings(
    url: str, nats_url: str, *, service_account_file: Path, google_url: str, **overrides: Any
) -> CalendarSettings:
    """INKLINE_SANDBOX=1 as `make up` runs it: the real Google adapter against the hub's Google fake."""
    return settings(
        url,
        nats_url,
        inkline_sandbox=True,
        google_service_account_file=str(service_account_file),
        google_api_endpoint=google_url,
        **overrides,
    )


async def test_a_restart_between_booking_confirmed_and_the_event_insert_still_creates_one_event(
    migrated_database: DatabaseFactory,
    nats_url: str,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: Path,
) -> None:
    url = await migrated_database(MIGRATIONS_DIR)
    real_google = google_settings(
        url,
        nats_url,
        service_account_file=service_account_file,
        google_url=google_url,
        google_timeout_seconds=0.5,
    )
    # The first insert reaches Google and creates the event, then the process dies before the answer.
    google.calendar.inject(CalendarOperation.INSERT, CalendarFault.CREATE_THEN_TIMEOUT)
    lead = uuid.uuid4()
    pick = PlaceHold(
        lead_id=lead,
        slot_id="20400313T1000Z-240",
        range=TimeRange(start=SLOT_START, end=SLOT_START + timedelta(hours=4)),
        city="London",
        size_category=SizeCategory.MEDIUM,
    )

    await declare_streams(nats_url)
    async with (
        JetStreamProbe(nats_url, subjects.BOOKING_CONFIRMED.name) as confirmed,
        JetStreamProbe(nats_url, subjects.CALENDAR_EVENT_CREATED.name) as created,
    ):
        async with (
            running_service(create_app(real_google)),
            JetStreamProbe(nats_url, subjects.HOLD_PLACED.name) as placed,
        ):
            await publish_command(nats_url, subjects.HOLD_REQUESTED, pick, correlation_id=str(lead))
            hold = (await placed.wait_for_count(1))[0]["payload"]
            paid = DepositPaid(
                deposit_id=uuid.uuid4(),
                lead_id=lead,
                hold_id=uuid.UUID(hold["hold_id"]),
                amount=Money(amount_minor=10000, currency="GBP"),
                paid_at=datetime.now(UTC),
                checkout_session_id="cs_restart",
            )
            await publish_command(nats_url, subjects.DEPOSIT_PAID, paid, correlation_id=str(lead))
            await confirmed.wait_for_count(1)
            await eventually(
                lambda: any(c.operation is CalendarOperation.INSERT for c in google.calendar.calls)
            )
        assert created.messages == []

        async with running_service(create_app(real_google)):
            await created.wait_for_count(1)

    booking_id = confirmed.messages[0]["payload"]["booking_id"]
    assert [e["id"] for e in google.calendar.events("artist@example.com")] == [
        event_id_for_booking(uuid.UUID(booking_id))
    ]
    assert [m["payload"]["booking_id"] for m in created.messages] == [booking_id]
    assert created.messages[0]["correlation_id"] == str(lead)
    assert created.messages[0]["causation_id"] == confirmed.messages[0]["causation_id"]


async def test_slots_requested_on_nats_is_answered_with_slots_suggested(
    migrated_database: DatabaseFactory, nats_url: str, google_url: str, service_account_file: Path
) -> None:
    url = await migrated_database(MIGRATIONS_DIR)
    sandbox = hub_settings(url, nats_url, service_account_file=service_account_file, google_url=google_url)
    lead = uuid.uuid4()
    ask = RequestSlots(
        request_id=uuid.uuid4(),
        lead_id=lead,
        city="london",
        country_code="GB",
        size_category=SizeCategory.LARGE,
    )

    async with (
        running_service(create_app(sandbox)),
        JetStreamProbe(nats_url, subjects.SLOTS_SUGGESTED.name) as probe,
    ):
        await publish_command(nats_url, subjects.SLOTS_REQUESTED, ask, correlation_id=str(lead))
        answer = (await probe.wait_for_count(1))[0]

    days = {slot["range"]["start"][:10] for slot in answer["payload"]["slots"]}
    assert answer["correlation_id"] == str(lead)
    assert answer["payload"]["request_id"] == str(ask.request_id)
    assert len(answer["payload"]["slots"]) == 5
    assert len(days) == 5
    assert {slot["city"] for slot in answer["payload"]["slots"]} == {"London"}


async def test_the_admin_api_wants_its_token_and_announces_a_new_tour_leg(
    migrated_database: DatabaseFactory, nats_url: str, google_url: str, service_account_file: Path
) -> None:
    url = await migrated_database(MIGRATIONS_DIR)
    sandbox = hub_settings(url, nats_url, service_account_file=service_account_file, google_url=google_url)
    leg = {"city": "Lisbon", "country_code": "pt", "first_day": "2040-05-01", "last_day": "2040-05-04"}
    overlapping = {"city": "Porto", "country_code": "PT", "first_day": "2040-05-03", "last_day": "2040-05-06"}
    auth = {"Authorization": f"Bearer {TOKEN}"}

    async with (
        running_service(create_app(sandbox)) as client,
        JetStreamProbe(nats_url, subjects.CALENDAR_TOUR_LEG_PUBLISHED.name) as probe,
    ):
        anonymous = await client.post("/admin/tour-legs", json=leg)
        wrong = await client.get("/admin/availability", headers={"Authorization": "Bearer guess"})
        added = await client.post("/admin/tour-legs", json=leg, headers=auth)
        refused = await client.post("/admin/tour-legs", json=overlapping, headers=auth)
        blackout = await client.put("/admin/blackout-dates/2040-06-01", headers=auth)
        invalid = await client.put("/admin/availability", json={"timezone": "Mars/Olympus"}, headers=auth)
        published = (await probe.wait_for_count(1))[0]
        current = await client.get("/admin/availability", headers=auth)

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert added.status_code == 201
    assert refused.status_code == 422
    assert "overlap" in refused.json()["detail"]
    assert blackout.status_code == 200
    assert invalid.status_code == 422
    assert published["payload"] == {
        "city": "Lisbon",
        "country_code": "PT",
        "first_day": "2040-05-01",
        "last_day": "2040-05-04",
    }
    assert [leg["city"] for leg in current.json()["tour_legs"]] == ["Berlin", "Lisbon"]
    assert "2040-06-01" in current.json()["blackout_dates"]
    assert len(probe.messages) == 1


async def test_a_booking_moved_over_nats_patches_its_one_event_and_frees_the_old_slot(
    migrated_database: DatabaseFactory,
    nats_url: str,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: Path,
) -> None:
    url = await migrated_database(MIGRATIONS_DIR)
    real_google = google_settings(
        url, nats_url, service_account_file=service_account_file, google_url=google_url
    )
    lead = uuid.uuid4()
    new_start = SLOT_START + timedelta(days=1)

    def pick(start: datetime) -> PlaceHold:
        return PlaceHold(
            lead_id=lead,
            slot_id=f"{start:%Y%m%dT%H%MZ}-240",
            range=TimeRange(start=start, end=start + timedelta(hours=4)),
            city="London",
            size_category=SizeCategory.MEDIUM,
        )

    await declare_streams(nats_url)
    async with (
        running_service(create_app(real_google)),
        JetStreamProbe(nats_url, subjects.HOLD_PLACED.name) as placed,
        JetStreamProbe(nats_url, subjects.BOOKING_CONFIRMED.name) as confirmed,
        JetStreamProbe(nats_url, subjects.CALENDAR_EVENT_CREATED.name) as created,
        JetStreamProbe(nats_url, subjects.BOOKING_MOVED.name) as moved,
        JetStreamProbe(nats_url, subjects.CALENDAR_SLOT_FREED.name) as freed,
    ):
        await publish_command(nats_url, subjects.HOLD_REQUESTED, pick(SLOT_START), correlation_id=str(lead))
        first_hold = (await placed.wait_for_count(1))[0]["payload"]
        paid = DepositPaid(
            deposit_id=uuid.uuid4(),
            lead_id=lead,
            hold_id=uuid.UUID(first_hold["hold_id"]),
            amount=Money(amount_minor=10000, currency="GBP"),
            paid_at=datetime.now(UTC),
            checkout_session_id="cs_move",
        )
        await publish_command(nats_url, subjects.DEPOSIT_PAID, paid, correlation_id=str(lead))
        booking = (await confirmed.wait_for_count(1))[0]["payload"]
        await created.wait_for_count(1)
        await publish_command(nats_url, subjects.HOLD_REQUESTED, pick(new_start), correlation_id=str(lead))
        new_hold = (await placed.wait_for_count(2))[1]["payload"]
        move = MoveBooking(
            booking_id=uuid.UUID(booking["booking_id"]),
            lead_id=lead,
            hold_id=uuid.UUID(new_hold["hold_id"]),
            reason="client asked in chat",
        )
        await publish_command(nats_url, subjects.BOOKING_MOVE_REQUESTED, move, correlation_id=str(lead))
        announced = (await moved.wait_for_count(1))[0]
        slot_freed = (await freed.wait_for_count(1))[0]
        await eventually(
            lambda: any(
                c.operation is CalendarOperation.PATCH and c.status == 200 for c in google.calendar.calls
            )
        )

    events = google.calendar.events("artist@example.com")
    assert [(e["id"], e["start"]["dateTime"]) for e in events] == [
        (event_id_for_booking(uuid.UUID(booking["booking_id"])), new_start.isoformat())
    ]
    assert announced["payload"]["booking_id"] == booking["booking_id"]
    assert announced["payload"]["range"]["start"] == new_start.isoformat().replace("+00:00", "Z")
    assert announced["correlation_id"] == str(lead)
    assert slot_freed["payload"]["range"]["start"] == SLOT_START.isoformat().replace("+00:00", "Z")
    assert slot_freed["payload"]["reason"] == "rescheduled"
    assert len(created.messages) == 1
