"""Reminders, aftercare and no-shows through the real service, NATS and PostgreSQL, on a clock the test moves.

Leads are seeded as paid (the consultation is covered by test_journey) and booked by a booking.confirmed
played by the test, as the calendar service would publish it.
"""

from __future__ import annotations

import asyncio
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
from inkline_contracts.events.booking import BookingCancelled, BookingConfirmed, BookingMoved
from inkline_contracts.events.hold import HoldPlaced
from inkline_contracts.events.lead import LeadQualified, TimeWindowPreference
from inkline_contracts.events.notify import TEMPLATE_PARAMETER_MAX_LENGTH
from inkline_contracts.events.slots import SlotsSuggested, SuggestedSlot
from inkline_contracts.subjects import Subject
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.testing import MovableClock
from inkline_sandbox.graph import GraphState
from inkline_sandbox.graph.webhooks import (
    Customer,
    button_reply_message,
    encode,
    image_message,
    list_reply_message,
    sign_payload,
    text_message,
)

SECRET = "appointments-app-secret"
ARTIST = "447700900000"
_wamids = itertools.count(1)
_numbers = itertools.count(1)


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

    async def tap_button(self, customer: Customer, button_id: str, title: str) -> str:
        """Post the client's button tap; returns its message id."""
        wamid = f"wamid.appt{next(_wamids)}"
        await self.post_webhook(button_reply_message(customer, button_id, title, message_id=wamid))
        return wamid

    async def handled(self, wamid: str) -> None:
        """Wait until the service has acted on the client's message; what it changed is committed with it."""

        async def processed() -> bool:
            return bool(
                await self.rows(
                    "SELECT 1 FROM inbound_messages WHERE wamid = :wamid AND processed_at IS NOT NULL",
                    wamid=wamid,
                )
            )

        await eventually(processed)

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

    async def book(
        self,
        *,
        start: datetime,
        hours: int = 4,
        timezone: str | None = None,
        idea: str = "a moth",
        placement: str = "left forearm",
        windows: list[TimeWindowPreference] | None = None,
        language: str = "en",
    ) -> Booked:
        """A paid lead, then the calendar's booking.confirmed for it; waits for the client's confirmation."""
        customer = Customer(wa_id=f"4477008{next(_numbers):05d}", name="Sam")
        lead_id, booking_id = uuid.uuid4(), uuid.uuid4()
        qualified = LeadQualified(
            lead_id=lead_id,
            wa_id=customer.wa_id,
            idea=idea,
            placement=placement,
            size_category=SizeCategory.MEDIUM,
            budget_min=Money(amount_minor=40000, currency="GBP"),
            budget_max=Money(amount_minor=50000, currency="GBP"),
            city="Manchester",
            country_code="GB",
            preferred_windows=windows or [],
        )
        await self.rows(
            "INSERT INTO contacts (wa_id, profile_name) VALUES (:wa_id, 'Sam') ON CONFLICT DO NOTHING",
            wa_id=customer.wa_id,
        )
        await self.rows(
            "INSERT INTO leads (id, wa_id, status, qualified, size_category, deposit_paid_at, last_inbound_at,"
            " language) VALUES (:id, :wa_id, 'deposit_paid', CAST(:qualified AS jsonb), 'medium', now(), now(),"
            " :language)",
            id=lead_id,
            language=language,
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
                timezone=timezone,
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
async def studio(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str, graph_state: GraphState
) -> AsyncIterator[Studio]:
    settings = ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_graph_url=graph_url,
        whatsapp_access_token=graph_state.access_token,
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
    assert [button["id"] for button in final["content"]["buttons"]] == [
        "appt:confirm",
        "appt:reschedule",
        "appt:cancel",
    ]
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


async def test_a_portuguese_clients_reminders_go_out_in_portuguese_also_as_templates(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(10), language="pt")
    planned = await studio.scheduled(booked)
    to = booked.customer.wa_id

    studio.clock.move_to(planned["reminder_early"]["due_at"] + timedelta(minutes=1))
    early = (await studio.wait_for_send(to=to, purpose="appointment_reminder_early"))[0]
    assert (early["content"]["name"], early["content"]["language"]) == ("appointment_reminder", "pt_BR")

    # Days after the booking the service window is closed: the notifier sends this purpose's template,
    # in the translation for the language the send names.
    studio.clock.move_to(planned["reminder_final"]["due_at"] + timedelta(minutes=1))
    final = (await studio.wait_for_send(to=to, purpose="appointment_reminder_final"))[0]
    assert final["content"]["body"].startswith("Até amanhã")
    assert final["language"] == "pt"


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


async def test_long_words_from_a_booked_client_reach_the_artist_shortened_with_whole_links(
    studio: Studio,
) -> None:
    long = "a moth with lots of tiny stars around it and the moon " * 40
    booked = await studio.book(start=_in_days(5), idea=long, placement=long)
    confirmation = (await studio.wait_for_send(to=ARTIST, purpose="artist_booking_confirmed"))[0]
    await studio.say(booked.customer, "what should I wear? " * 200)
    forwarded = (await studio.wait_for_send(to=ARTIST, purpose="artist_booked_client_message"))[0]
    assert studio.http is not None

    for message in (confirmation, forwarded):
        body = message["content"]["body"]
        assert len(body) <= TEMPLATE_PARAMETER_MAX_LENGTH, "a template fallback would cut it"
        assert "Swipe right to reply to them." in body, "no wa.me link to the artist's personal number"
    assert (
        await studio.http.get(_action_path(confirmation["content"]["body"], "Mark no-show"))
    ).status_code == 200
    assert "what should I wear? what" in forwarded["content"]["body"]


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


# Changing a booking in chat: the calendar and payments are played by the test through their subjects.


@dataclass
class Calendar:
    """What the conversation asks of calendar and payments during a change of date."""

    slots: JetStreamProbe
    holds: JetStreamProbe
    moves: JetStreamProbe
    cancellations: JetStreamProbe
    refunds: JetStreamProbe


@pytest.fixture
async def calendar(studio: Studio, nats_url: str) -> AsyncIterator[Calendar]:
    probes = Calendar(
        slots=JetStreamProbe(nats_url, subjects.SLOTS_REQUESTED.name),
        holds=JetStreamProbe(nats_url, subjects.HOLD_REQUESTED.name),
        moves=JetStreamProbe(nats_url, subjects.BOOKING_MOVE_REQUESTED.name),
        cancellations=JetStreamProbe(nats_url, subjects.LEAD_CANCELLED.name),
        refunds=JetStreamProbe(nats_url, subjects.DEPOSIT_REFUND_REQUESTED.name),
    )
    async with probes.slots, probes.holds, probes.moves, probes.cancellations, probes.refunds:
        yield probes


def _for_lead(probe: JetStreamProbe, lead_id: uuid.UUID) -> list[dict[str, Any]]:
    return [message["payload"] for message in probe.messages if message["payload"]["lead_id"] == str(lead_id)]


async def _answer_slots(
    studio: Studio, calendar: Calendar, booked: Booked, starts: list[datetime], *, preference_met: bool = True
) -> None:
    await calendar.slots.wait_for(lambda _: bool(_for_lead(calendar.slots, booked.lead_id)))
    request = _for_lead(calendar.slots, booked.lead_id)[-1]
    await studio.publish(
        subjects.SLOTS_SUGGESTED,
        SlotsSuggested(
            request_id=uuid.UUID(request["request_id"]),
            lead_id=booked.lead_id,
            slots=[
                SuggestedSlot(
                    slot_id=f"slot-{start:%Y%m%d%H}",
                    range=TimeRange(start=start, end=start + timedelta(hours=4)),
                    city="Manchester",
                )
                for start in starts
            ],
            preference_met=preference_met,
        ),
        lead_id=str(booked.lead_id),
    )


async def _move(studio: Studio, calendar: Calendar, booked: Booked, new_start: datetime) -> uuid.UUID:
    """Client asks, picks the new time; the test plays the hold and the move. Returns the hold id."""
    to = booked.customer.wa_id
    await studio.say(booked.customer, "hi, can I move my appointment?")
    await studio.wait_for_send(to=to, purpose="reschedule")
    await _answer_slots(studio, calendar, booked, [booked.start, new_start])
    choice = (await studio.wait_for_send(to=to, purpose="reschedule_choice"))[-1]
    rows = choice["content"]["rows"]
    assert len(rows) == 1, "the time the client already has is not offered again"
    await studio.post_webhook(
        list_reply_message(
            booked.customer, rows[0]["id"], rows[0]["title"], message_id=f"wamid.appt{next(_wamids)}"
        )
    )
    await calendar.holds.wait_for(lambda _: bool(_for_lead(calendar.holds, booked.lead_id)))
    hold_id = uuid.uuid4()
    new_range = TimeRange(start=new_start, end=new_start + timedelta(hours=4))
    await studio.publish(
        subjects.HOLD_PLACED,
        HoldPlaced(
            hold_id=hold_id,
            lead_id=booked.lead_id,
            range=new_range,
            expires_at=datetime.now(UTC) + timedelta(minutes=45),
        ),
        lead_id=str(booked.lead_id),
    )
    await calendar.moves.wait_for(lambda _: bool(_for_lead(calendar.moves, booked.lead_id)))
    move = _for_lead(calendar.moves, booked.lead_id)[-1]
    assert (move["booking_id"], move["hold_id"]) == (str(booked.booking_id), str(hold_id))
    moved = BookingMoved(
        booking_id=booked.booking_id,
        lead_id=booked.lead_id,
        hold_id=hold_id,
        previous_range=TimeRange(start=booked.start, end=booked.end),
        range=new_range,
        city="Manchester",
    )
    # Delivered twice, as a relay retry would: the client hears once.
    await studio.publish(subjects.BOOKING_MOVED, moved, lead_id=str(booked.lead_id))
    await studio.publish(subjects.BOOKING_MOVED, moved, lead_id=str(booked.lead_id))
    return hold_id


async def test_a_free_reschedule_moves_the_booking_and_plans_the_reminders_again(
    studio: Studio, calendar: Calendar
) -> None:
    booked = await studio.book(start=_in_days(10))
    to = booked.customer.wa_id
    old_plan = await studio.scheduled(booked)
    new_start = _in_days(17)

    await _move(studio, calendar, booked, new_start)

    told = (await studio.wait_for_send(to=to, purpose="booking_rescheduled"))[0]
    await studio.wait_for_send(to=ARTIST, purpose="artist_booking_rescheduled")
    local = new_start.astimezone(ZoneInfo(studio.settings.artist_timezone))
    assert f"{local:%H:%M}" in told["content"]["body"]
    rows = await studio.rows("SELECT * FROM scheduled_messages WHERE booking_id = :id", id=booked.booking_id)
    live = {row["kind"]: row for row in rows if row["superseded_at"] is None}
    superseded = [row for row in rows if row["superseded_at"] is not None]
    assert len(superseded) == 5
    assert all(row["cancelled_at"] is not None for row in superseded), "nothing of the old plan is sent"
    # A day before on the artist's wall clock: 24 h, or 23/25 h across a daylight-saving change.
    assert abs(live["reminder_final"]["due_at"] - (new_start - timedelta(hours=24))) <= timedelta(hours=1)
    assert live["reminder_final"]["due_at"] != old_plan["reminder_final"]["due_at"]
    lead = (await studio.rows("SELECT * FROM leads WHERE id = :id", id=booked.lead_id))[0]
    assert lead["status"] == "booked"
    assert lead["reschedules_used"] == 1
    assert datetime.fromisoformat(lead["booking_range"]["start"]) == new_start
    await eventually(lambda: _sends_settled(studio, to, "booking_rescheduled"))
    assert len(studio.sends(to=to, purpose="booking_rescheduled")) == 1

    # Only the new plan's reminder goes out.
    studio.clock.move_to(old_plan["reminder_final"]["due_at"] + timedelta(minutes=1))
    studio.clock.move_to(live["reminder_final"]["due_at"] + timedelta(minutes=1))
    await studio.wait_for_send(to=to, purpose="appointment_reminder_final")
    await eventually(lambda: _sends_settled(studio, to, "appointment_reminder_final"))
    assert len(studio.sends(to=to, purpose="appointment_reminder_final")) == 1


async def test_a_reschedule_asks_for_times_within_the_clients_windows_as_the_first_offer_did(
    studio: Studio, calendar: Calendar
) -> None:
    # "weekdays": Monday to Friday runs, never a Saturday or Sunday.
    monday = (datetime.now(UTC) + timedelta(days=7 - datetime.now(UTC).weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    windows = [
        TimeWindowPreference(
            range=TimeRange(start=monday + timedelta(weeks=week), end=monday + timedelta(weeks=week, days=5))
        )
        for week in range(4)
    ]
    booked = await studio.book(start=_in_days(10), windows=windows)

    await studio.say(booked.customer, "hi, can I move my appointment?")
    await studio.wait_for_send(to=booked.customer.wa_id, purpose="reschedule")
    await calendar.slots.wait_for(lambda _: bool(_for_lead(calendar.slots, booked.lead_id)))
    request = _for_lead(calendar.slots, booked.lead_id)[-1]

    assert [TimeWindowPreference.model_validate(p) for p in request["preferences"]] == windows
    assert request["size_category"] == "medium"
    assert request["city"] == "Manchester"
    # None of the client's days had room: they hear so, as at the first offer.
    await _answer_slots(studio, calendar, booked, [_in_days(40)], preference_met=False)
    choice = (await studio.wait_for_send(to=booked.customer.wa_id, purpose="reschedule_choice"))[-1]
    assert choice["content"]["body"].startswith("I couldn't find a time inside the dates you mentioned")


async def _sends_settled(studio: Studio, to: str, purpose: str) -> bool:
    # The pass runs every 0.2 s; two of them after the first send would have repeated it.
    first = len(studio.sends(to=to, purpose=purpose))
    await asyncio.sleep(0.5)
    return first >= 1 and len(studio.sends(to=to, purpose=purpose)) == first


async def test_a_second_reschedule_costs_the_deposit_and_the_artists_waiver_makes_it_free(
    studio: Studio, calendar: Calendar
) -> None:
    booked = await studio.book(start=_in_days(10))
    to = booked.customer.wa_id
    await _move(studio, calendar, booked, _in_days(17))
    await studio.wait_for_send(to=to, purpose="booking_rescheduled")

    await studio.say(booked.customer, "sorry, can we reschedule again?")
    terms = (await studio.wait_for_send(to=to, purpose="reschedule_terms"))[0]
    assert "deposit is kept" in terms["content"]["body"]
    assert [b["id"] for b in terms["content"]["buttons"]] == ["appt:keep", "appt:ask_artist"]
    slot_requests = len(_for_lead(calendar.slots, booked.lead_id))

    await studio.tap_button(booked.customer, "appt:ask_artist", "Ask the artist")
    request = (await studio.wait_for_send(to=ARTIST, purpose="artist_reschedule_request"))[0]
    await studio.wait_for_send(to=ARTIST, purpose="handover_alert")
    assert len(_for_lead(calendar.slots, booked.lead_id)) == slot_requests, "no new times without the artist"
    waive = _action_path(request["content"]["body"], "Waive the fee")
    assert studio.http is not None
    assert (await studio.http.post(waive)).status_code == 200

    await studio.wait_for_send(to=to, purpose="fee_waived")
    await calendar.slots.wait_for(lambda _: len(_for_lead(calendar.slots, booked.lead_id)) > slot_requests)
    lead = (await studio.rows("SELECT status FROM leads WHERE id = :id", id=booked.lead_id))[0]
    assert lead["status"] == "booked"


async def test_an_early_cancellation_frees_the_slot_and_refunds_the_deposit_once(
    studio: Studio, calendar: Calendar
) -> None:
    booked = await studio.book(start=_in_days(10))
    to = booked.customer.wa_id

    await studio.say(booked.customer, "I'm really sorry but I need to cancel my appointment")
    question = (await studio.wait_for_send(to=to, purpose="cancel_confirmation"))[0]
    assert "refunded in full" in question["content"]["body"]
    await studio.tap_button(booked.customer, "appt:cancel_yes", "Yes, cancel")
    await studio.wait_for_send(to=to, purpose="booking_cancelled")
    await studio.wait_for_send(to=ARTIST, purpose="artist_booking_cancelled")
    # A second tap on the same button after the cancellation changes nothing: the client is told so, on the
    # same lead, instead of a new consultation starting.
    await studio.handled(await studio.tap_button(booked.customer, "appt:cancel_yes", "Yes, cancel"))
    stale = await studio.wait_for_send(to=to, purpose="stale_button")
    assert "no longer stands" in stale[0]["content"]["body"]
    assert await studio.rows("SELECT count(*) AS n FROM leads WHERE wa_id = :to", to=to) == [{"n": 1}]
    # Whatever the tap published is in the outbox by now, committed with the tap's `processed_at`.
    refund_requests = await studio.rows(
        "SELECT count(*) AS n FROM outbox WHERE subject = :subject",
        subject=subjects.DEPOSIT_REFUND_REQUESTED.name,
    )
    assert refund_requests == [{"n": 1}]

    await calendar.refunds.wait_for(lambda _: bool(_for_lead(calendar.refunds, booked.lead_id)))
    cancelled = await calendar.cancellations.wait_for(
        lambda _: bool(_for_lead(calendar.cancellations, booked.lead_id))
    )
    assert cancelled[-1]["payload"]["lead_id"] == str(booked.lead_id)
    await eventually(lambda: _all_cancelled(studio, booked))
    assert len(_for_lead(calendar.refunds, booked.lead_id)) == 1
    lead = (await studio.rows("SELECT status, deposit_outcome FROM leads WHERE id = :id", id=booked.lead_id))[
        0
    ]
    assert lead == {"status": "cancelled", "deposit_outcome": "refund_requested"}


async def test_a_late_cancellation_keeps_the_deposit_unless_the_artist_waives_it(
    studio: Studio, calendar: Calendar
) -> None:
    booked = await studio.book(start=_in_days(2))
    to = booked.customer.wa_id

    await studio.say(booked.customer, "can't make it, please cancel")
    question = (await studio.wait_for_send(to=to, purpose="cancel_confirmation"))[0]
    assert "deposit is kept" in question["content"]["body"]
    await studio.say(booked.customer, "yes")
    told = (await studio.wait_for_send(to=to, purpose="booking_cancelled"))[0]
    assert "deposit is kept" in told["content"]["body"]
    artist = (await studio.wait_for_send(to=ARTIST, purpose="artist_booking_cancelled"))[0]
    await calendar.cancellations.wait_for(lambda _: bool(_for_lead(calendar.cancellations, booked.lead_id)))
    assert not _for_lead(calendar.refunds, booked.lead_id)

    waive = _action_path(artist["content"]["body"], "Waive the fee")
    assert studio.http is not None
    assert (await studio.http.post(waive)).status_code == 200
    await calendar.refunds.wait_for(lambda _: bool(_for_lead(calendar.refunds, booked.lead_id)))
    await studio.wait_for_send(to=to, purpose="fee_waived")
    assert (await studio.http.post(waive)).status_code == 410, "the waiver works once"
    assert len(_for_lead(calendar.refunds, booked.lead_id)) == 1


async def test_keeping_the_date_leaves_the_booking_as_it_was(studio: Studio, calendar: Calendar) -> None:
    booked = await studio.book(start=_in_days(10))
    to = booked.customer.wa_id
    await studio.tap_button(booked.customer, "appt:cancel", "Cancel")
    await studio.wait_for_send(to=to, purpose="cancel_confirmation")
    await studio.tap_button(booked.customer, "appt:keep", "No, keep it")
    await studio.wait_for_send(to=to, purpose="appointment_kept")
    lead = (
        await studio.rows("SELECT status, appointment_change FROM leads WHERE id = :id", id=booked.lead_id)
    )[0]
    assert lead == {"status": "booked", "appointment_change": None}
    assert not _for_lead(calendar.cancellations, booked.lead_id)


async def test_the_healed_photo_is_stored_on_the_booking_and_linked_for_the_artist(studio: Studio) -> None:
    booked = await studio.book(start=_in_days(2))
    to = booked.customer.wa_id
    planned = await studio.scheduled(booked)
    studio.clock.move_to(planned["healed_photo"]["due_at"] + timedelta(minutes=1))
    await studio.wait_for_send(to=to, purpose="appointment_healed_photo")

    two_days_later = studio.clock() + timedelta(days=2)
    studio.clock.move_to(two_days_later)
    await studio.post_webhook(
        image_message(
            booked.customer,
            "healed-media-1",
            content=b"jpeg",
            message_id=f"wamid.appt{next(_wamids)}",
            timestamp=int(two_days_later.timestamp()),
        )
    )
    sent = (await studio.wait_for_send(to=ARTIST, purpose="artist_client_photo"))[0]
    await studio.wait_for_send(to=to, purpose="photo_thanks")
    assert "healed tattoo" in sent["content"]["body"]
    assert "/media/healed-media-1?" in sent["content"]["body"]
    stored = await studio.rows("SELECT lead_id FROM reference_media WHERE media_id = 'healed-media-1'")
    assert stored == [{"lead_id": booked.lead_id}], "kept on the booking's lead, not a new enquiry"


async def test_a_session_abroad_reads_and_is_reminded_on_that_citys_clock(studio: Studio) -> None:
    start = _in_days(10, hour_utc=10)
    booked = await studio.book(start=start, timezone="America/New_York")
    confirmation = studio.sends(to=booked.customer.wa_id, purpose="booking_confirmed")[0]
    local = start.astimezone(ZoneInfo("America/New_York"))
    london = start.astimezone(ZoneInfo("Europe/London"))
    assert f"{local:%H:%M}-" in confirmation["content"]["body"]
    assert f"{london:%H:%M}-" not in confirmation["content"]["body"]
    planned = await studio.scheduled(booked)
    evening = planned["aftercare_evening"]["due_at"].astimezone(ZoneInfo("America/New_York"))
    assert evening.hour == studio.settings.aftercare_hour, (
        "aftercare comes in the evening where the client is"
    )
