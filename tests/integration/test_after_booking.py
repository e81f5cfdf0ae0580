"""After the booking, across all five services with every provider a local fake over real HTTP.

Each client is booked the whole way (consultation, the artist's approval link, a slot, the Stripe
checkout), then changes their mind in chat: a reschedule patches the one Google event and frees the old
time, a cancellation with notice refunds the deposit once, one without keeps it, and the freed slot goes
to a waitlisted client of that city as a last-minute offer.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.base import Contract, Money, SizeCategory
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.lead import LeadCreated, LeadQualified, LeadStatusChanged
from inkline_contracts.subjects import Subject
from inkline_devstack.harness import eventually, running_service
from inkline_devstack.provider_fakes import CREDENTIALS, ProviderFakes, provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_sandbox.graph import SentMessage
from inkline_sandbox.graph.webhooks import (
    Customer,
    button_reply_message,
    encode,
    list_reply_message,
    sign_payload,
    text_message,
)
from inkline_sandbox.server import serve_in_background

# Each test books a client the whole way and then changes the booking: a run of one test (PostgreSQL and
# NATS start-up included) took 17 s on an idle machine and up to 260 s on a loaded 2-core box, close to the
# general 300 s. A stalled step still fails on its own 30-45 s timeout, at the line that waited.
pytestmark = pytest.mark.timeout(600)

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
ARTIST = CREDENTIALS.artist
CALENDAR_ID = CREDENTIALS.calendar_id
ServiceApp = Callable[..., FastAPI]


def _answers(today: date) -> tuple[str, ...]:
    # A month ahead: far outside every notice period of the default policy.
    month = (today.month % 12) + 1
    return (
        "Hi! I'd love to book a tattoo",
        "a swallow with a banner",
        "right forearm",
        "10x12cm",
        "traditional",
        "skip",
        "£400-500",
        "London, UK",
        f"mid {date(2000, month, 1):%B}",
        "@jo.tattoos",
        "1",  # the read-back of the answers: send it
    )


@dataclass
class Booking:
    customer: Customer
    lead_id: uuid.UUID
    booking_id: uuid.UUID
    start: datetime


class Studio:
    """The five services on one NATS and their own databases, and the phones, card and calendar fakes."""

    def __init__(
        self, fakes: ProviderFakes, databases: dict[str, str], conversation: httpx.AsyncClient
    ) -> None:
        self.fakes = fakes
        self.databases = databases
        self.conversation = conversation
        self._wamids = 0

    def texts(self, to: str) -> list[str]:
        return self.fakes.texts(to)

    async def received(self, to: str, fragment: str, *, after: int = 0, timeout: float = 45.0) -> str:
        def find() -> str | None:
            return next((body for body in self.texts(to)[after:] if fragment in body), None)

        found: str = await eventually(find, timeout=timeout)
        return found

    async def post(self, payload: dict[str, Any]) -> None:
        body = encode(payload)
        response = await self.conversation.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign_payload(body, CREDENTIALS.app_secret)},
        )
        assert response.status_code == 200, response.text

    def _wamid(self) -> str:
        self._wamids += 1
        return f"wamid.after{self._wamids}"

    async def say(self, customer: Customer, body: str) -> str:
        """Post the client's text; returns its message id."""
        wamid = self._wamid()
        await self.post(text_message(customer, body, message_id=wamid, timestamp=int(time.time())))
        return wamid

    async def tap(self, customer: Customer, button_id: str, title: str) -> str:
        """Post the client's button tap; returns its message id."""
        wamid = self._wamid()
        await self.post(button_reply_message(customer, button_id, title, message_id=wamid))
        return wamid

    async def handled(self, wamid: str) -> None:
        """Wait until the conversation service has acted on the client's message `wamid`.

        What the message changed is committed with its `processed_at`, so a check made after this sees it.
        """

        async def processed() -> bool:
            found = await self.rows(
                "conversation",
                "SELECT 1 FROM inbound_messages WHERE wamid = :wamid AND processed_at IS NOT NULL",
                wamid=wamid,
            )
            return bool(found)

        await eventually(processed, timeout=30)

    async def pick_first(self, customer: Customer, *, lists_before: int) -> None:
        """Tap the first row of the newest slot list (the one after `lists_before` earlier lists)."""

        def newest() -> SentMessage | None:
            lists = [m for m in self.fakes.graph.messages(to=customer.wa_id) if m.type == "interactive"]
            lists = [m for m in lists if m.body.get("type") == "list"]
            return lists[-1] if len(lists) > lists_before else None

        offer: SentMessage = await eventually(newest, timeout=45)
        row = offer.body["action"]["sections"][0]["rows"][0]
        await self.post(list_reply_message(customer, row["id"], row["title"], message_id=self._wamid()))

    def lists_to(self, customer: Customer) -> int:
        return len(
            [
                m
                for m in self.fakes.graph.messages(to=customer.wa_id)
                if m.type == "interactive" and m.body.get("type") == "list"
            ]
        )

    async def follow_link(self, message: str, label: str) -> None:
        found = re.search(rf"{re.escape(label)}: http://conversation(/actions/\S+)", message)
        assert found is not None, message
        await self.follow(found.group(1))

    async def follow(self, path: str) -> None:
        assert (await self.conversation.get(path)).status_code == 200
        done = await self.conversation.post(path)
        assert done.status_code == 200, done.text

    async def has_texts(self, customer: Customer, count: int) -> None:
        await eventually(lambda: len(self.texts(customer.wa_id)) >= count, timeout=30)

    async def book(self, customer: Customer) -> Booking:
        for answer in _answers(datetime.now(UTC).date()):
            expected = len(self.texts(customer.wa_id)) + 1
            await self.say(customer, answer)
            await self.has_texts(customer, expected)
        await self.received(ARTIST, f"New lead: {customer.name}")
        await self.follow(self.fakes.action_paths(ARTIST, f"New lead: {customer.name}")[0])  # Approve
        await self.pick_first(customer, lists_before=0)
        await self.received(customer.wa_id, "deposit here")
        paid = {session["id"] for session in self.fakes.stripe.sessions() if session["status"] == "complete"}
        session = next(s for s in self.fakes.stripe.sessions() if s["id"] not in paid)
        self.fakes.stripe.pay_session(session["id"])
        await self.received(customer.wa_id, "You're booked in")
        lead = (
            await self.rows(
                "conversation",
                "SELECT id, booking_id, booking_range FROM leads WHERE wa_id = :wa_id",
                wa_id=customer.wa_id,
            )
        )[0]
        return Booking(
            customer=customer,
            lead_id=lead.id,
            booking_id=lead.booking_id,
            start=datetime.fromisoformat(lead.booking_range["start"]),
        )

    async def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        engine = create_async_engine(self.databases[service])
        async with engine.connect() as connection:
            result = list((await connection.execute(text(sql), params)).all())
        await engine.dispose()
        return result

    def events(self, *, include_cancelled: bool = False) -> list[Any]:
        return self.fakes.google.calendar.events(CALENDAR_ID, include_cancelled=include_cancelled)


@pytest.fixture
async def studio_factory(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path, service_app: ServiceApp
) -> AsyncIterator[Callable[..., Any]]:
    async with AsyncExitStack() as stack:

        async def start(*, conversation: dict[str, Any] | None = None) -> Studio:
            databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
            fakes = stack.enter_context(provider_fakes(tmp_path))

            def create(name: str, **overrides: Any) -> FastAPI:
                return service_app(name, databases=databases, fakes=fakes, nats_url=nats_url, **overrides)

            payments_url = stack.enter_context(serve_in_background(create("payments")))
            fakes.stripe.add_webhook_endpoint(
                f"{payments_url}/webhooks/stripe", CREDENTIALS.stripe_webhook_secret
            )
            for name in ("calendar", "notifier"):
                await stack.enter_async_context(running_service(create(name)))
            # Waitlisted clients here wrote to the artist and never opted out, which is the consent asked for;
            # no quiet hours, so the offer goes whatever time of day the test runs.
            await stack.enter_async_context(
                running_service(
                    create(
                        "campaigns",
                        campaigns_consent_rule="wrote_and_never_opted_out",
                        campaigns_quiet_hours_start="00:00",
                        campaigns_quiet_hours_end="00:00",
                    )
                )
            )
            client = await stack.enter_async_context(
                running_service(create("conversation", appointment_check_seconds=0.5, **(conversation or {})))
            )
            return Studio(fakes, databases, client)

        yield start


async def test_a_free_reschedule_moves_the_one_booking_patches_its_event_and_frees_the_old_time(
    studio_factory: Callable[..., Any],
) -> None:
    studio: Studio = await studio_factory()
    jo = Customer(wa_id="447700900301", name="Jo")
    booked = await studio.book(jo)
    [event] = await eventually(lambda: studio.events(), timeout=30)
    before = len(studio.texts(jo.wa_id))
    # Counted before asking: the fresh slot list follows "I'm finding" within milliseconds.
    lists_before = studio.lists_to(jo)

    await studio.say(jo, "hi, could I move my appointment please?")
    await studio.received(jo.wa_id, "I'm finding", after=before)
    await studio.pick_first(jo, lists_before=lists_before)
    moved = await studio.received(jo.wa_id, "Your appointment is moved", after=before)
    await studio.received(ARTIST, f"Rescheduled: {jo.name}")

    lead = (
        await studio.rows(
            "conversation",
            "SELECT booking_range, reschedules_used FROM leads WHERE id = :id",
            id=booked.lead_id,
        )
    )[0]
    new_start = datetime.fromisoformat(lead.booking_range["start"])
    assert new_start != booked.start
    assert lead.reschedules_used == 1
    assert "deposit carries over" in moved

    def patched() -> list[Any] | None:
        events = studio.events(include_cancelled=True)
        starts = [_event_start(e) for e in events]
        return events if starts == [new_start] else None

    events = await eventually(patched, timeout=30)
    assert [e["id"] for e in events] == [event["id"]], "the same event, patched, not a second one"

    live = await studio.rows(
        "calendar",
        "SELECT booking_id, lower(during) AS start FROM reservations WHERE state IN ('held', 'booked')",
    )
    assert [(row.booking_id, row.start) for row in live] == [(booked.booking_id, new_start)]
    assert len(studio.fakes.stripe.sessions()) == 1
    assert not studio.fakes.stripe.refunds(), "a free reschedule keeps the deposit on the booking"

    plan = await studio.rows(
        "conversation",
        "SELECT kind, due_at, superseded_at FROM scheduled_messages WHERE booking_id = :id",
        id=booked.booking_id,
    )
    final = [row for row in plan if row.kind == "reminder_final" and row.superseded_at is None]
    assert len(final) == 1
    assert abs((new_start - final[0].due_at).total_seconds() - 24 * 3600) <= 3600, (
        "re-planned for the new time"
    )


def _event_start(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["start"]["dateTime"]).astimezone(UTC)


async def test_an_early_cancellation_refunds_once_and_offers_the_time_to_a_waitlisted_client(
    studio_factory: Callable[..., Any], nats_url: str
) -> None:
    studio: Studio = await studio_factory()
    sam = Customer(wa_id="447700900401", name="Sam")
    waiting = Customer(wa_id="447700900402", name="Alex")
    booked = await studio.book(sam)
    await eventually(lambda: studio.events(), timeout=30)
    await _waitlist(studio, nats_url, waiting, city="London")

    await studio.say(sam, "I'm so sorry, I need to cancel")
    await studio.received(sam.wa_id, "refunded in full")
    await studio.tap(sam, "appt:cancel_yes", "Yes, cancel")
    await studio.received(sam.wa_id, "is cancelled and your deposit is being refunded")
    await studio.received(ARTIST, f"Cancelled: {sam.name}")
    await studio.received(sam.wa_id, "Your refund of")
    # A second tap of the old button changes nothing: once it is handled, still one refund asked for.
    await studio.handled(await studio.tap(sam, "appt:cancel_yes", "Yes, cancel"))
    refund_requests = await studio.rows(
        "conversation",
        "SELECT count(*) FROM outbox WHERE subject = :subject",
        subject=subjects.DEPOSIT_REFUND_REQUESTED.name,
    )
    assert refund_requests[0][0] == 1

    await eventually(lambda: not studio.events(), timeout=30)
    assert len(studio.fakes.stripe.refunds()) == 1
    offer = await eventually(lambda: _template_to(studio, waiting.wa_id, "last_minute_slot"), timeout=45)
    payloads = [
        parameter["payload"]
        for component in offer.body["components"]
        if component["type"] == "button"
        for parameter in component["parameters"]
    ]
    assert payloads == [f"last_minute:{booked.booking_id}"]
    live = await studio.rows(
        "calendar", "SELECT count(*) FROM reservations WHERE state IN ('held', 'booked')"
    )
    assert live[0][0] == 0
    lead = (
        await studio.rows(
            "conversation", "SELECT status, deposit_outcome FROM leads WHERE id = :id", id=booked.lead_id
        )
    )[0]
    assert (lead.status, lead.deposit_outcome) == ("cancelled", "refunded")
    assert len(studio.fakes.stripe.refunds()) == 1, "refunded once"


async def test_a_late_cancellation_keeps_the_deposit_and_sends_no_reminder(
    studio_factory: Callable[..., Any],
) -> None:
    # Every date is "late" under a policy that asks for a year's notice.
    studio: Studio = await studio_factory(conversation={"refund_notice_hours": 24 * 365})
    kim = Customer(wa_id="447700900501", name="Kim")
    booked = await studio.book(kim)
    # The event must exist first, or "it is gone" below would hold before it was ever written.
    await eventually(lambda: studio.events(), timeout=30)

    await studio.say(kim, "can't make it, sorry, please cancel")
    await studio.received(kim.wa_id, "the deposit is kept")
    await studio.say(kim, "yes")
    await studio.received(kim.wa_id, "is cancelled. As it was less than")
    artist = await studio.received(ARTIST, f"Cancelled: {kim.name}")
    assert "Waive the fee: http://conversation/actions/" in artist

    await eventually(lambda: not studio.events(), timeout=30)
    assert not studio.fakes.stripe.refunds()
    plan = await studio.rows(
        "conversation",
        "SELECT sent_at, cancelled_at FROM scheduled_messages WHERE booking_id = :id",
        id=booked.booking_id,
    )
    assert plan
    assert all(row.sent_at is None and row.cancelled_at is not None for row in plan)


def _template_to(studio: Studio, to: str, name: str) -> SentMessage | None:
    return next(
        (
            m
            for m in studio.fakes.graph.messages(to=to)
            if m.type == "template" and m.body.get("name") == name
        ),
        None,
    )


async def _waitlist(studio: Studio, nats_url: str, customer: Customer, *, city: str) -> None:
    """A client of `city` the artist had no room for, as the conversation service announced them.

    Returns once campaigns knows them as waitlisted: a real waitlisted client was announced long before
    any slot is freed, while here the three events are a moment old and go through consumers of their
    own, so campaigns could handle the freed slot first and find no one to offer it to.
    """
    lead_id = uuid.uuid4()
    events: list[tuple[Subject[Any], Contract]] = [
        (
            subjects.LEAD_CREATED,
            LeadCreated(lead_id=lead_id, wa_id=customer.wa_id, profile_name=customer.name),
        ),
        (
            subjects.LEAD_QUALIFIED,
            LeadQualified(
                lead_id=lead_id,
                wa_id=customer.wa_id,
                idea="a small moth",
                placement="ankle",
                size_category=SizeCategory.SMALL,
                budget_min=Money(amount_minor=20000, currency="GBP"),
                budget_max=Money(amount_minor=30000, currency="GBP"),
                city=city,
                country_code="GB",
            ),
        ),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(
                lead_id=lead_id, wa_id=customer.wa_id, from_status="consulting", to_status="waitlisted"
            ),
        ),
    ]
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        for subject, payload in events:
            envelope = new_envelope(subject, payload, correlation_id=str(lead_id))
            await js.publish(
                subject.name,
                envelope.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(envelope.message_id)},
            )
    finally:
        await client.close()

    async def known_as_waitlisted() -> bool:
        found = await studio.rows(
            "campaigns",
            "SELECT 1 FROM contacts WHERE wa_id = :wa_id AND status = 'waitlisted' AND city = :city "
            "AND last_inbound_at IS NOT NULL",
            wa_id=customer.wa_id,
            city=city,
        )
        return bool(found)

    await eventually(known_as_waitlisted, timeout=30)
