"""Reminders, aftercare and no-shows through the real service, NATS and PostgreSQL, on a clock the test moves.

Leads are seeded as paid (the consultation is covered by test_journey) and booked by a booking.confirmed
played by the test, as the calendar service would publish it.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.base import Contract, Money, SizeCategory, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.booking import BookingCancelled, BookingConfirmed
from inkline_contracts.events.lead import LeadQualified
from inkline_contracts.subjects import Subject
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.graph.webhooks import (
    Customer,
    button_reply_message,
    encode,
    sign_payload,
    text_message,
)

SECRET = "appointments-app-secret"
ARTIST = "447700900000"
_wamids = itertools.count(1)
_numbers = itertools.count(1)


@dataclass
class MovableClock:
    """The service's clock: real time plus an offset the test moves forward."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)


@dataclass
class Booked:
    lead_id: uuid.UUID
    booking_id: uuid.UUID
    customer: Customer
    start: datetime
    end: datetime


@dataclass
class Studio:
    """The running service (restartable), what it publishes, and the other services played by the test."""

    settings: ConversationSettings
    clock: MovableClock
    js: Any
    sends_probe: JetStreamProbe
    statuses_probe: JetStreamProbe
    http: httpx.AsyncClient | None = None
    _service: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def start(self) -> None:
        self.http = await self._service.enter_async_context(
            running_service(create_app(self.settings, clock=self.clock))
        )

    async def stop(self) -> None:
        await self._service.aclose()
        self._service = AsyncExitStack()
        self.http = None

    async def publish(self, subject: Subject[Any], payload: Contract, *, lead_id: str) -> None:
        envelope = new_envelope(subject, payload, correlation_id=lead_id)
        await self.js.publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )

    async def post_webhook(self, payload: dict[str, Any]) -> None:
        assert self.http is not None
        body = encode(payload)
        response = await self.http.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign_payload(body, SECRET), "Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text

    async def say(self, customer: Customer, body: str, *, at: datetime | None = None) -> None:
        moment = at or datetime.now(UTC)
        await self.post_webhook(
            text_message(
                customer, body, message_id=f"wamid.appt{next(_wamids)}", timestamp=int(moment.timestamp())
            )
        )

    async def tap_button(self, customer: Customer, button_id: str, title: str) -> None:
        await self.post_webhook(
            button_reply_message(customer, button_id, title, message_id=f"wamid.appt{next(_wamids)}")
        )

    def sends(self, *, to: str | None = None, purpose: str | None = None) -> list[dict[str, Any]]:
        return [
            message["payload"]
            for message in self.sends_probe.messages
            if (to is None or message["payload"]["to"] == to)
            and (purpose is None or message["payload"]["purpose"] == purpose)
        ]

    async def wait_for_send(self, *, to: str, purpose: str, count: int = 1) -> list[dict[str, Any]]:
        await self.sends_probe.wait_for(lambda _: len(self.sends(to=to, purpose=purpose)) >= count)
        return self.sends(to=to, purpose=purpose)

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        engine = create_async_engine(self.settings.database_url)
        async with engine.begin() as connection:
            result = await connection.execute(text(sql), params)
            rows = [dict(row._mapping) for row in result] if result.returns_rows else []
        await engine.dispose()
        return rows

    async def book(self, *, start: datetime, hours: int = 4) -> Booked:
        """A paid lead, then the calendar's booking.confirmed for it; waits for the client's confirmation."""
        customer = Customer(wa_id=f"4477008{next(_numbers):05d}", name="Sam")
        lead_id, booking_id = uuid.uuid4(), uuid.uuid4()
        qualified = LeadQualified(
            lead_id=lead_id,
            wa_id=customer.wa_id,
            idea="a moth",
            placement="left forearm",
            size_category=SizeCategory.MEDIUM,
            budget_min=Money(amount_minor=40000, currency="GBP"),
            budget_max=Money(amount_minor=50000, currency="GBP"),
            city="Manchester",
            country_code="GB",
        )
        await self.rows(
            "INSERT INTO contacts (wa_id, profile_name) VALUES (:wa_id, 'Sam') ON CONFLICT DO NOTHING",
            wa_id=customer.wa_id,
        )
        await self.rows(
            "INSERT INTO leads (id, wa_id, status, qualified, size_category, deposit_paid_at, last_inbound_at)"
            " VALUES (:id, :wa_id, 'deposit_paid', CAST(:qualified AS jsonb), 'medium', now(), now())",
            id=lead_id,
            wa_id=customer.wa_id,
            qualified=json.dumps(qualified.model_dump(mode="json")),
        )
        end = start + timedelta(hours=hours)
        await self.publish(
            subjects.BOOKING_CONFIRMED,
            BookingConfirmed(
                booking_id=booking_id,
                lead_id=lead_id,
                hold_id=uuid.uuid4(),
                deposit_id=uuid.uuid4(),
                range=TimeRange(start=start, end=end),
                city="Manchester",
            ),
            lead_id=str(lead_id),
        )
        await self.wait_for_send(to=customer.wa_id, purpose="booking_confirmed")
        return Booked(lead_id=lead_id, booking_id=booking_id, customer=customer, start=start, end=end)

    async def scheduled(self, booked: Booked) -> dict[str, dict[str, Any]]:
        rows = await self.rows(
            "SELECT * FROM scheduled_messages WHERE booking_id = :booking_id", booking_id=booked.booking_id
        )
        return {row["kind"]: row for row in rows}


@pytest.fixture
async def studio(migrated_database: DatabaseFactory, nats_url: str) -> AsyncIterator[Studio]:
    settings = ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_app_secret=SECRET,
        artist_whatsapp_number=ARTIST,
        public_base_url="http://artist.test",
        artist_timezone="Europe/London",
        appointment_check_seconds=0.2,
        reminder_check_seconds=5.0,
        log_json=False,
    )
    client = await nats.connect(nats_url)
    sends = JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name)
    statuses = JetStreamProbe(nats_url, subjects.LEAD_STATUS_CHANGED.name)
    studio = Studio(
        settings=settings,
        clock=MovableClock(),
        js=client.jetstream(),
        sends_probe=sends,
        statuses_probe=statuses,
    )
    # The service declares the streams, so the probes subscribe once it is up.
    await studio.start()
    try:
        async with sends, statuses:
            yield studio
    finally:
        await studio.stop()
        await client.close()


def _in_days(days: int, hour_utc: int = 10) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=hour_utc, minute=0, second=0, microsecond=0
    )


async def test_reminders_and_aftercare_go_out_once_each_when_due_as_utility_messages(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(10))
    planned = await studio.scheduled(booked)
    assert set(planned) == {
        "reminder_early",
        "reminder_final",
        "aftercare_evening",
        "aftercare_check_in",
        "healed_photo",
    }
    to = booked.customer.wa_id

    studio.clock.move_to(planned["reminder_early"]["due_at"] + timedelta(minutes=1))
    early = (await studio.wait_for_send(to=to, purpose="appointment_reminder_early"))[0]
    assert early["category"] == "utility"
    assert early["content"]["kind"] == "template"
    assert early["content"]["name"] == "appointment_reminder"
    slot_time, prep_notes = early["content"]["body_parameters"]
    local_start = booked.start.astimezone(ZoneInfo(studio.settings.artist_timezone))
    assert f"{local_start:%H:%M}" in slot_time, "the time reads on the artist's clock"
    assert "photo ID" in prep_notes

    studio.clock.move_to(planned["reminder_final"]["due_at"] + timedelta(minutes=1))
    final = (await studio.wait_for_send(to=to, purpose="appointment_reminder_final"))[0]
    assert final["category"] == "utility"
    assert final["content"]["kind"] == "buttons"
    assert [button["id"] for button in final["content"]["buttons"]] == ["appt:confirm"]
    assert "photo ID" in final["content"]["body"]

    for kind, template in (
        ("aftercare_evening", "aftercare_evening"),
        ("aftercare_check_in", "aftercare_check_in"),
        ("healed_photo", "healed_photo_request"),
    ):
        studio.clock.move_to(planned[kind]["due_at"] + timedelta(minutes=1))
        sent = (await studio.wait_for_send(to=to, purpose=f"appointment_{kind}"))[0]
        assert (sent["category"], sent["content"]["name"]) == ("utility", template)

    await eventually(lambda: _all_sent(studio, booked))
    purposes = [send["purpose"] for send in studio.sends(to=to) if send["purpose"].startswith("appointment_")]
    assert len(purposes) == len(set(purposes)) == 5, "each message exactly once"


async def _all_sent(studio: Studio, booked: Booked) -> bool:
    return all(row["sent_at"] is not None for row in (await studio.scheduled(booked)).values())


async def test_a_reminder_is_never_sent_for_a_cancelled_booking(studio: Studio) -> None:
    cancelled = await studio.book(start=_in_days(10))
    canary = await studio.book(start=_in_days(10))
    await studio.publish(
        subjects.BOOKING_CANCELLED,
        BookingCancelled(
            booking_id=cancelled.booking_id, lead_id=cancelled.lead_id, reason="client_cancelled"
        ),
        lead_id=str(cancelled.lead_id),
    )
    await eventually(lambda: _all_cancelled(studio, cancelled))

    studio.clock.move_to(cancelled.start - timedelta(hours=1))
    # The other booking's final reminder proves the pass ran past both bookings' reminder times.
    await studio.wait_for_send(to=canary.customer.wa_id, purpose="appointment_reminder_final")

    assert not [
        send
        for send in studio.sends(to=cancelled.customer.wa_id)
        if send["purpose"].startswith("appointment_")
    ]
    rows = (await studio.scheduled(cancelled)).values()
    assert all(row["sent_at"] is None for row in rows)


async def _all_cancelled(studio: Studio, booked: Booked) -> bool:
    rows = (await studio.scheduled(booked)).values()
    return bool(rows) and all(row["cancelled_at"] is not None for row in rows)


async def test_a_reminder_is_never_sent_twice_across_a_restart_or_a_repeated_booking_event(
    studio: Studio,
) -> None:
    booked = await studio.book(start=_in_days(10))
    planned = await studio.scheduled(booked)
    to = booked.customer.wa_id
    studio.clock.move_to(planned["reminder_early"]["due_at"] + timedelta(minutes=1))
    await studio.wait_for_send(to=to, purpose="appointment_reminder_early")

    await studio.stop()
    await studio.start()
    # The calendar's relay publishing the same booking again (a new envelope) must not re-plan it.
    await studio.publish(
        subjects.BOOKING_CONFIRMED,
        BookingConfirmed(
            booking_id=booked.booking_id,
            lead_id=booked.lead_id,
            hold_id=uuid.uuid4(),
            deposit_id=uuid.uuid4(),
            range=TimeRange(start=booked.start, end=booked.end),
            city="Manchester",
        ),
        lead_id=str(booked.lead_id),
    )
    studio.clock.move_to(planned["reminder_final"]["due_at"] + timedelta(minutes=1))
    await studio.wait_for_send(to=to, purpose="appointment_reminder_final")

    assert len(studio.sends(to=to, purpose="appointment_reminder_early")) == 1
    assert len(studio.sends(to=to, purpose="booking_confirmed")) == 1
    assert len(await studio.scheduled(booked)) == 5


async def test_a_booked_client_confirms_from_the_reminder_on_the_same_lead(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(2))
    to = booked.customer.wa_id

    await studio.tap_button(booked.customer, "appt:confirm", "Confirm")
    thanks = (await studio.wait_for_send(to=to, purpose="appointment_confirmed"))[0]
    # Outside the service window the template's quick reply arrives as the button's word.
    await studio.say(booked.customer, "Confirm")
    await studio.wait_for_send(to=to, purpose="appointment_confirmed", count=2)

    assert "Thanks for confirming" in thanks["content"]["body"]
    leads = await studio.rows("SELECT id, status FROM leads WHERE wa_id = :wa_id", wa_id=to)
    assert leads == [{"id": booked.lead_id, "status": "booked"}], "no new lead before the appointment"


async def test_a_booked_clients_other_question_goes_to_the_artist_not_a_new_consultation(
    studio: Studio,
) -> None:
    booked = await studio.book(start=_in_days(5))

    await studio.say(booked.customer, "what should I wear?")
    forwarded = (await studio.wait_for_send(to=ARTIST, purpose="artist_booked_client_message"))[0]
    await studio.wait_for_send(to=booked.customer.wa_id, purpose="holding_reply")

    assert "what should I wear?" in forwarded["content"]["body"]
    leads = await studio.rows("SELECT id FROM leads WHERE wa_id = :wa_id", wa_id=booked.customer.wa_id)
    assert len(leads) == 1


async def test_a_message_after_the_appointment_has_passed_starts_a_new_lead(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(-3))

    await studio.say(booked.customer, "hi, I'd love another tattoo")
    await eventually(lambda: _lead_count(studio, booked.customer.wa_id, 2))

    leads = await studio.rows(
        "SELECT id, status FROM leads WHERE wa_id = :wa_id ORDER BY created_at", wa_id=booked.customer.wa_id
    )
    assert leads[0] == {"id": booked.lead_id, "status": "booked"}
    assert leads[1]["status"] in ("new", "consulting")


async def _lead_count(studio: Studio, wa_id: str, count: int) -> bool:
    rows = await studio.rows("SELECT count(*) AS n FROM leads WHERE wa_id = :wa_id", wa_id=wa_id)
    return bool(rows[0]["n"] == count)


def _action_path(message: str, label: str) -> str:
    line = next(line for line in message.splitlines() if f"{label}: " in line)
    return "/" + line.split("://", 1)[1].split("/", 1)[1]


async def test_the_artist_marks_a_no_show_and_no_aftercare_follows(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(12))
    confirmation = (await studio.wait_for_send(to=ARTIST, purpose="artist_booking_confirmed"))[0]
    no_show = _action_path(confirmation["content"]["body"], "Mark no-show")
    assert studio.http is not None

    studio.clock.move_to(booked.end + timedelta(minutes=30))
    # The link outlives the usual seven days: it is used after a session twelve days away.
    page = await studio.http.get(no_show)
    assert page.status_code == 200
    assert "no-show" in page.text
    done = await studio.http.post(no_show)
    assert done.status_code == 200, done.text

    changes = await studio.statuses_probe.wait_for(
        lambda messages: any(m["payload"]["to_status"] == "no_show" for m in messages)
    )
    assert changes[-1]["payload"]["lead_id"] == str(booked.lead_id)
    rows = await studio.scheduled(booked)
    assert all(rows[kind]["cancelled_at"] is not None for kind in ("aftercare_evening", "healed_photo"))
    assert (await studio.http.post(no_show)).status_code == 410, "the link works once"
