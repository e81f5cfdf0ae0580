"""The journey through the real webhook, real NATS and PostgreSQL; the other services are played by the test."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import nats
import pytest
import structlog
from fastapi import FastAPI, Request
from pydantic import SecretStr
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.base import Contract, Money, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.booking import BookingConfirmed, BookingConflict, TourLegPublished
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid
from inkline_contracts.events.hold import HoldExpired, HoldPlaced, HoldRejected, HoldRejectedReason
from inkline_contracts.events.notify import TEMPLATE_PARAMETER_MAX_LENGTH
from inkline_contracts.events.slots import CityDates, SlotsSuggested, SuggestedSlot
from inkline_contracts.subjects import Subject
from inkline_contracts.text import IDEA_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.domain.copy import Copy
from inkline_conversation.settings import SANDBOX_ADMIN_TOKEN, ConversationSettings
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.graph import GraphState
from inkline_sandbox.graph.webhooks import (
    Customer,
    button_reply_message,
    encode,
    image_message,
    list_reply_message,
    location_message,
    reaction_message,
    sign_payload,
    sticker_message,
    text_message,
    welcome_request_message,
)
from inkline_sandbox.server import serve_in_background

SECRET = "journey-app-secret"
ARTIST = "447700900000"
_wamids = itertools.count(1)


@dataclass
class Chat:
    """One client talking to the running service; everything the service publishes is watched."""

    http: httpx.AsyncClient
    customer: Customer
    database_url: str
    nats_url: str
    probes: dict[str, JetStreamProbe]
    _js: Any = None
    _clock: Callable[[], int] = field(default=lambda: int(time.time()))

    async def post(self, payload: dict[str, Any], *, secret: str = SECRET) -> httpx.Response:
        body = encode(payload)
        response = await self.http.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign_payload(body, secret), "Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text
        return response

    async def say(self, body: str, *, wamid: str | None = None, timestamp: int | None = None) -> str:
        wamid = wamid or f"wamid.journey{next(_wamids)}"
        await self.post(
            text_message(self.customer, body, message_id=wamid, timestamp=timestamp or self._clock())
        )
        return wamid

    async def tap_button(self, button_id: str, title: str) -> None:
        await self.post(
            button_reply_message(self.customer, button_id, title, message_id=f"wamid.journey{next(_wamids)}")
        )

    async def tap_row(self, row_id: str, title: str) -> None:
        await self.post(
            list_reply_message(self.customer, row_id, title, message_id=f"wamid.journey{next(_wamids)}")
        )

    async def send_image(self, media_id: str, caption: str | None = None) -> None:
        await self.post(
            image_message(
                self.customer, media_id=media_id, caption=caption, message_id=f"wamid.journey{next(_wamids)}"
            )
        )

    # What the service sent.
    def sends(self, to: str | None = None) -> list[dict[str, Any]]:
        return [
            message["payload"]
            for message in self.probes[subjects.NOTIFY_SEND.name].messages
            if to is None or message["payload"]["to"] == to
        ]

    def texts_to_client(self) -> list[str]:
        return [_body(send) for send in self.sends(self.customer.wa_id)]

    def texts_to_artist(self) -> list[str]:
        return [_body(send) for send in self.sends(ARTIST)]

    async def wait_for_client_text(self, fragment: str, *, timeout: float = 15.0) -> str:
        await self.probes[subjects.NOTIFY_SEND.name].wait_for(
            lambda _: any(fragment in body for body in self.texts_to_client()), timeout=timeout
        )
        return next(body for body in self.texts_to_client() if fragment in body)

    async def wait_for_artist_text(self, fragment: str, *, timeout: float = 15.0) -> str:
        await self.probes[subjects.NOTIFY_SEND.name].wait_for(
            lambda _: any(fragment in body for body in self.texts_to_artist()), timeout=timeout
        )
        return next(body for body in self.texts_to_artist() if fragment in body)

    async def wait_for_replies(self, count: int, *, timeout: float = 15.0) -> None:
        """Until the client has received `count` texts in all."""
        await self.probes[subjects.NOTIFY_SEND.name].wait_for(
            lambda _: len(self.texts_to_client()) >= count, timeout=timeout
        )

    async def wait_for_send(
        self, purpose: str, *, count: int = 1, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        await self.probes[subjects.NOTIFY_SEND.name].wait_for(
            lambda _: len([send for send in self.sends() if send["purpose"] == purpose]) >= count,
            timeout=timeout,
        )
        return [send for send in self.sends() if send["purpose"] == purpose]

    async def wait_for(
        self, subject: Subject[Any], *, count: int = 1, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        messages = await self.probes[subject.name].wait_for_count(count, timeout=timeout)
        return [message["payload"] for message in messages]

    def published(self, subject: Subject[Any]) -> list[dict[str, Any]]:
        return [message["payload"] for message in self.probes[subject.name].messages]

    async def publish(self, subject: Subject[Any], payload: Contract, *, lead_id: str) -> None:
        """Play another service: publish an event the way its outbox relay would."""
        envelope = new_envelope(subject, payload, correlation_id=lead_id)
        await self._js.publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )

    async def lead(self) -> dict[str, Any]:
        rows = await self.rows(
            "SELECT * FROM leads WHERE wa_id = :wa_id ORDER BY created_at DESC LIMIT 1",
            wa_id=self.customer.wa_id,
        )
        assert rows, "no lead yet"
        return rows[0]

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        engine = create_async_engine(self.database_url)
        async with engine.begin() as connection:
            result = await connection.execute(text(sql), params)
            rows = [dict(row._mapping) for row in result] if result.returns_rows else []
        await engine.dispose()
        return rows


def _body(send: dict[str, Any]) -> str:
    """What the person reads: the text, or a template's parameters (the artist's summary outside the window)."""
    content = send["content"]
    return str(
        content.get("body") or " ".join(content.get("body_parameters", [])) or content.get("name") or ""
    )


def action_paths(send: dict[str, Any]) -> list[str]:
    """The action link path behind each button of an artist message, in button order."""
    content = send["content"]
    ids = content.get("quick_reply_payloads") or [button["id"] for button in content.get("buttons", [])]
    return [f"/actions/{button_id.removeprefix('act:')}" for button_id in ids]


def artist_send(chat: Chat, fragment: str) -> dict[str, Any]:
    return next(send for send in chat.sends(ARTIST) if fragment in _body(send))


WATCHED = (
    subjects.NOTIFY_SEND,
    subjects.LEAD_STATUS_CHANGED,
    subjects.LEAD_QUALIFIED,
    subjects.LEAD_OPTED_OUT,
    subjects.LEAD_OPTED_IN,
    subjects.LEAD_HANDOVER_REQUESTED,
    subjects.LEAD_LANGUAGE_SET,
    subjects.SLOTS_REQUESTED,
    subjects.HOLD_REQUESTED,
    subjects.DEPOSIT_REQUESTED,
)


@pytest.fixture
async def journey_settings(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str, graph_state: GraphState
) -> ConversationSettings:
    return ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_graph_url=graph_url,
        whatsapp_access_token=graph_state.access_token,
        whatsapp_app_secret=SECRET,
        artist_whatsapp_number=ARTIST,
        artist_name="Rowan",
        artist_currency="GBP",
        minimum_spend_minor=15000,
        public_base_url="http://artist.test",
        reminder_check_seconds=0.3,
        media_check_seconds=0.2,
        catch_up_after_seconds=1.0,
        log_json=False,
    )


@pytest.fixture
async def chat(journey_settings: ConversationSettings, nats_url: str) -> AsyncIterator[Chat]:
    async with chat_with(journey_settings, nats_url) as conversation:
        yield conversation


@asynccontextmanager
async def chat_with(settings: ConversationSettings, nats_url: str) -> AsyncIterator[Chat]:
    """A client talking to the service running with `settings`."""
    app = create_app(settings)
    client = await nats.connect(nats_url)
    probes = {subject.name: JetStreamProbe(nats_url, subject.name) for subject in WATCHED}
    try:
        async with running_service(app) as http:
            for probe in probes.values():
                await probe.__aenter__()
            conversation = Chat(
                http=http,
                customer=Customer(wa_id=f"4477009{uuid.uuid4().int % 100000:05d}", name="Sam"),
                database_url=settings.database_url,
                nats_url=nats_url,
                probes=probes,
                _js=client.jetstream(),
            )
            yield conversation
    finally:
        for probe in probes.values():
            if probe._client is not None:
                await probe.__aexit__()
        await client.close()


def envelope_json(subject: Subject[Any], payload: Contract, lead_id: str) -> str:
    return json.dumps(new_envelope(subject, payload, correlation_id=lead_id).model_dump(mode="json"))


ANSWERS = (
    "Hi, I'd like to book a tattoo",
    "a rose with a thin stem",
    "left inner forearm",
    "10x15cm",
    "fine line",
    "skip",
    "£400-500",
    "Manchester, UK",
    "next two weeks",
)


async def consult(
    chat: Chat, *, budget: str = "£400-500", city: str = "Manchester, UK", reference_media: str | None = None
) -> dict[str, Any]:
    """Answer every question, waiting for each next one, and return the slots request it ends with."""
    answers = [
        budget if answer == "£400-500" else city if answer == "Manchester, UK" else answer
        for answer in ANSWERS
    ]
    for answer in answers:
        expected = len(chat.texts_to_client()) + 1
        if answer == "skip" and reference_media is not None:
            await chat.send_image(reference_media)
        else:
            await chat.say(answer)
        await chat.wait_for_replies(expected)
    await chat.say("@sam.ink")
    await chat.wait_for_client_text("Here's what I have")
    await chat.say("1")
    await chat.wait_for_client_text("Thank" if budget != "£400-500" else "That's everything")
    return (await chat.wait_for(subjects.SLOTS_REQUESTED))[0] if budget == "£400-500" else {}


def slot(start: datetime, city: str, hours: int = 4) -> SuggestedSlot:
    return SuggestedSlot(
        slot_id=f"slot-{start:%Y%m%d%H%M}",
        range=TimeRange(start=start, end=start + timedelta(hours=hours)),
        city=city,
    )


def next_days(count: int, hour: int = 14) -> list[datetime]:
    today = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return [today + timedelta(days=offset) for offset in range(3, 3 + count)]


async def answer_slots(
    chat: Chat,
    request: dict[str, Any],
    slots: list[SuggestedSlot],
    *,
    alternatives: list[CityDates] | None = None,
) -> None:
    """Play the calendar: answer the lead's slots.requested."""
    suggested = SlotsSuggested(
        request_id=request["request_id"],
        lead_id=request["lead_id"],
        slots=slots,
        preference_met=bool(slots),
        alternatives=alternatives or [],
    )
    await chat.publish(subjects.SLOTS_SUGGESTED, suggested, lead_id=request["lead_id"])


async def test_a_full_consultation_ends_with_a_summary_and_action_links_for_the_artist(chat: Chat) -> None:
    request = await consult(chat)

    assert request["city"] == "Manchester"
    assert request["country_code"] == "GB"
    assert request["size_category"] == "medium"
    assert request["preferences"], "the client's dates travel with the request"
    qualified = (await chat.wait_for(subjects.LEAD_QUALIFIED))[0]
    assert (qualified["budget_min"]["amount_minor"], qualified["budget_max"]["amount_minor"]) == (
        40000,
        50000,
    )
    assert qualified["instagram"] == "sam.ink"

    await answer_slots(chat, request, [slot(day, "Manchester") for day in next_days(3)])
    summary = await chat.wait_for_artist_text("New lead: Sam")

    assert "*Idea:* a rose with a thin stem" in summary
    assert "*Budget:* £400-£500" in summary, "one currency symbol per amount, never ££"
    assert "*Where:* Manchester, GB" in summary
    assert len(action_paths(artist_send(chat, "New lead: Sam"))) == 3, "Approve, Decline, Take over"
    assert "wa.me" not in summary, "a wa.me link opens a chat from the artist's personal number"
    assert (await chat.lead())["status"] == "qualified"
    statuses = [change["to_status"] for change in chat.published(subjects.LEAD_STATUS_CHANGED)]
    assert statuses == ["consulting", "qualified"]


# The client's answers padded to 2,000 characters with words no parser reads as a place, date or amount.
_PADDING = " and honestly I have been thinking about this design for ages so please take your time"


REFERENCE_LINKS = [f"https://pin.it/{index}{'x' * 250}" for index in range(5)]


def _long(answer: str, length: int = 2000) -> str:
    return (answer + _PADDING * (length // len(_PADDING) + 1))[:length]


async def _links_work(chat: Chat, send: dict[str, Any], count: int) -> None:
    """Every button of `send` carries a whole action token: its page opens, which a cut token would not."""
    paths = action_paths(send)
    assert len(paths) == count
    for path in paths:
        page = await chat.http.get(path)
        assert page.status_code == 200, f"{path} is broken: {page.status_code}"


def _fits_a_template_parameter(message: str) -> None:
    """Outside the window the notifier flattens the text into one template parameter cut at Meta's limit."""
    flat = " ".join(message.split())
    assert len(flat) <= TEMPLATE_PARAMETER_MAX_LENGTH, f"{len(flat)} characters would be cut"


async def test_long_answers_are_shortened_and_every_action_link_survives(chat: Chat) -> None:
    # The first message is the idea, already long enough to push the links past 1,024 characters.
    answers = [
        _long("a rose with a thin stem", 410),
        _long("left inner forearm"),
        _long("10x15cm"),
        _long("fine line"),
        " ".join(REFERENCE_LINKS),
        _long("£400-500"),
        _long("Manchester, UK"),
        _long("next two weeks"),
    ]
    for answer in answers:
        expected = len(chat.texts_to_client()) + 1
        await chat.say(answer)
        await chat.wait_for_replies(expected)
    await chat.say(_long("@sam.ink"))
    await chat.wait_for_client_text("Here's what I have")
    await chat.say("1")
    request = (await chat.wait_for(subjects.SLOTS_REQUESTED))[0]
    qualified = (await chat.wait_for(subjects.LEAD_QUALIFIED))[0]
    assert qualified["idea"].startswith("a rose with a thin stem")
    assert len(qualified["idea"]) <= IDEA_MAX_LENGTH
    for answer in ("placement", "style", "city", "instagram"):
        assert len(qualified[answer]) <= SHORT_TEXT_MAX_LENGTH, answer
    assert len(request["city"]) <= SHORT_TEXT_MAX_LENGTH

    await answer_slots(chat, request, [slot(day, qualified["city"]) for day in next_days(2)])
    summary = await chat.wait_for_artist_text("New lead: Sam")

    await _links_work(chat, artist_send(chat, "New lead: Sam"), 3)
    _fits_a_template_parameter(summary)
    assert "*Idea:* a rose with a thin stem" in summary
    assert "…" in summary, "the long answers are visibly shortened"
    shown = [word for word in summary.split() if word.startswith("https://pin.it/")]
    assert set(shown) <= set(REFERENCE_LINKS), "a reference is listed whole or not at all"
    assert f"{len(REFERENCE_LINKS) - len(shown)} more references in the chat" in summary

    # A day later, the reminder re-sends the summary with fresh links, as whole as the first ones.
    await chat.rows(
        "UPDATE leads SET status_changed_at = now() - interval '2 days' WHERE wa_id = :wa_id",
        wa_id=chat.customer.wa_id,
    )
    reminder = await chat.wait_for_artist_text("Still waiting for your decision")
    await _links_work(chat, artist_send(chat, "Still waiting for your decision"), 3)
    _fits_a_template_parameter(reminder)


async def test_a_handover_after_long_messages_keeps_its_links_and_the_newest_words(chat: Chat) -> None:
    await chat.say(_long("a koi fish"))
    await chat.wait_for_client_text("Where on your body")
    await chat.say(_long("upper arm"))
    await chat.wait_for_client_text("Roughly how big")
    await chat.say(_long("big"))
    await chat.wait_for_client_text("Could you give me a rough measurement")
    await chat.say(_long("really huge"))

    packet = await chat.wait_for_artist_text("needs you")

    await _links_work(chat, artist_send(chat, "needs you"), 3)
    _fits_a_template_parameter(packet)
    assert "really huge" in packet, "the newest message is always in the packet"


async def test_two_unreadable_answers_to_one_field_hand_the_chat_to_the_artist(chat: Chat) -> None:
    await chat.say("a koi fish")
    await chat.wait_for_client_text("Where on your body")
    await chat.say("upper arm")
    await chat.wait_for_client_text("Roughly how big")
    await chat.say("big")
    await chat.wait_for_client_text("Could you give me a rough measurement")
    await chat.say("really huge")

    packet = await chat.wait_for_artist_text("needs you")
    handover = (await chat.wait_for(subjects.LEAD_HANDOVER_REQUESTED))[0]

    assert handover["reason"] == "two_strikes"
    assert handover["field"] == "size"
    assert handover["answers"] == {"idea": "a koi fish", "placement": "upper arm"}, (
        "the artist's row is not blank"
    )
    assert "really huge" in packet, "the transcript so far goes to the artist"
    assert "couldn't read their answer twice: the size" in packet, "why, in plain words"
    assert len(action_paths(artist_send(chat, "needs you"))) == 3, "Hand back, Approve, Decline"
    assert (await chat.lead())["status"] == "needs_artist"
    sent_before = len(chat.texts_to_client())
    await chat.say("hello?")
    forwarded = await chat.wait_for_artist_text("hello?")
    await eventually(lambda: _settled(chat))
    assert len(chat.texts_to_client()) == sent_before, "the bot stays quiet while the artist has the chat"
    assert "Swipe right to reply" in forwarded, "the artist sees what arrives while they have the chat"


async def _settled(chat: Chat) -> bool:
    """Every inbound message is processed and every send that caused has reached the probe.

    The sends are committed with the processing but published by the relay afterwards, so "nothing more
    was sent" can only be read once the probe holds as many sends as the outbox.
    """
    rows = await chat.rows(
        "SELECT (SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL) AS pending,"
        " (SELECT count(*) FROM outbox WHERE subject = :send) AS sends",
        send=subjects.NOTIFY_SEND.name,
    )
    return bool(rows[0]["pending"] == 0 and rows[0]["sends"] == len(chat.sends()))


async def test_a_budget_below_the_minimum_is_told_kindly_and_the_artist_decides(chat: Chat) -> None:
    await consult(chat, budget="£80")

    reply = await chat.wait_for_client_text("minimum for a tattoo is £150")
    summary = await chat.wait_for_artist_text("below your minimum")

    assert "£80" in reply or "budget you mentioned" in reply
    assert "below your minimum of £150" in summary
    assert len(action_paths(artist_send(chat, "below your minimum"))) == 3, "Approve, Decline, Take over"
    assert (await chat.lead())["status"] == "below_minimum"
    assert not chat.published(subjects.SLOTS_REQUESTED), (
        "no calendar question for a lead the artist must judge"
    )


async def test_a_client_outside_the_artists_city_accepts_the_tour_dates(chat: Chat) -> None:
    request = await consult(chat)
    leg = CityDates(
        city="Leeds",
        country_code="GB",
        first_day=date(2027, 4, 3),
        last_day=date(2027, 4, 5),
        first_free_days=[],
    )
    await answer_slots(chat, request, [], alternatives=[leg])
    offer = (await chat.wait_for_send("tour_offer"))[0]
    assert offer["content"]["kind"] == "buttons"
    assert "Leeds on 3-5 Apr" in offer["content"]["body"]

    await chat.tap_button("tour:yes", "Yes, Leeds")
    summary = await chat.wait_for_artist_text("New lead for your tour")

    assert "*Where:* Leeds, GB (accepted your Leeds dates" in summary
    assert (await chat.lead())["status"] == "qualified"


async def test_a_client_who_declines_the_tour_is_waitlisted_and_reoffered_when_a_leg_is_published(
    chat: Chat,
) -> None:
    request = await consult(chat)
    leg = CityDates(city="Leeds", country_code="GB", first_day=date(2027, 4, 3), last_day=date(2027, 4, 5))
    await answer_slots(chat, request, [], alternatives=[leg])
    await chat.wait_for_send("tour_offer")
    await chat.say("no thanks, Leeds is too far")
    await chat.wait_for_client_text("added you to the waitlist")
    assert (await chat.lead())["status"] == "waitlisted"

    await chat.publish(
        subjects.CALENDAR_TOUR_LEG_PUBLISHED,
        TourLegPublished(
            city="Manchester", country_code="GB", first_day=date(2027, 5, 1), last_day=date(2027, 5, 3)
        ),
        lead_id="tour",
    )
    offers = await chat.wait_for_send("tour_offer", count=2)

    assert "Manchester on 1-3 May" in offers[1]["content"]["body"]
    assert (await chat.lead())["status"] == "tour_offered"


async def test_stop_mid_consultation_silences_the_bot_until_start(chat: Chat) -> None:
    await chat.say("hi, can I book?")
    await chat.wait_for_client_text("What would you like")
    await chat.say("STOP")
    await chat.wait_for_client_text("won't receive any more messages")
    opted_out = (await chat.wait_for(subjects.LEAD_OPTED_OUT))[0]
    assert opted_out["wa_id"] == chat.customer.wa_id

    sent_before = len(chat.texts_to_client())
    await chat.say("a dragon")
    await chat.say("stop")
    await eventually(lambda: _settled(chat))
    assert len(chat.texts_to_client()) == sent_before, "one confirmation, then silence"

    await chat.say("START")
    await chat.wait_for_client_text("Welcome back")
    await chat.wait_for(subjects.LEAD_OPTED_IN)
    question = await chat.wait_for_client_text("What would you like")
    assert question


async def test_messages_delivered_out_of_order_are_answered_in_the_order_they_were_sent(chat: Chat) -> None:
    now = int(time.time())
    await chat.say("hi there", timestamp=now - 30)
    await chat.wait_for_client_text("What would you like")
    # One POST carrying two messages, the later one first: Meta does not promise order within a batch.
    later = text_message(chat.customer, "left forearm", message_id="wamid.second", timestamp=now - 5)
    earlier = text_message(chat.customer, "a swallow", message_id="wamid.first", timestamp=now - 10)
    messages = later["entry"][0]["changes"][0]["value"]["messages"]
    messages.extend(earlier["entry"][0]["changes"][0]["value"]["messages"])
    await chat.post(later)

    await chat.wait_for_client_text("Roughly how big")
    lead = await chat.lead()
    answers = lead["consultation"]["answers"]
    assert answers["idea"] == "a swallow"
    assert answers["placement"]["description"].lower().startswith("left forearm")


async def test_a_duplicate_webhook_delivery_is_answered_once(chat: Chat) -> None:
    await chat.say("hello", wamid="wamid.dup")
    await chat.wait_for_client_text("What would you like")
    await chat.say("hello", wamid="wamid.dup")
    await chat.say("a moth", wamid="wamid.after")
    await chat.wait_for_client_text("Where on your body")

    greetings = [text for text in chat.texts_to_client() if "booking assistant" in text]
    assert len(greetings) == 1
    rows = await chat.rows("SELECT count(*) AS n FROM inbound_messages")
    assert rows[0]["n"] == 2


async def test_a_stalled_consultation_is_nudged_then_abandoned(chat: Chat) -> None:
    hours_ago = int(time.time()) - 13 * 3600
    await chat.say("hi", timestamp=hours_ago)
    await chat.wait_for_client_text("What would you like")

    nudge = await chat.wait_for_client_text("Just checking in", timeout=20)
    assert nudge
    await chat.rows(
        "UPDATE leads SET last_inbound_at = now() - interval '49 hours' WHERE wa_id = :wa_id RETURNING id",
        wa_id=chat.customer.wa_id,
    )
    await eventually(lambda: _status_is(chat, "abandoned"), timeout=20)
    nudges = [text for text in chat.texts_to_client() if "Just checking in" in text]
    assert len(nudges) == 1


async def _status_is(chat: Chat, status: str) -> bool:
    return bool((await chat.lead())["status"] == status)


async def qualified_lead(chat: Chat) -> tuple[dict[str, Any], str]:
    """A lead the artist can approve: consultation done, artist in the client's city."""
    request = await consult(chat)
    await answer_slots(chat, request, [slot(day, "Manchester") for day in next_days(2)])
    return request, await chat.wait_for_artist_text("New lead: Sam")


async def approve_and_offer(chat: Chat) -> tuple[str, list[SuggestedSlot]]:
    await qualified_lead(chat)
    approve = action_paths(artist_send(chat, "New lead: Sam"))[0]
    page = await chat.http.get(approve)
    assert page.status_code == 200
    assert (await chat.lead())["status"] == "qualified", "opening the link changes nothing"
    done = await chat.http.post(approve)
    assert done.status_code == 200, done.text
    await chat.wait_for_client_text("would love to do your tattoo")
    offer_request = (await chat.wait_for(subjects.SLOTS_REQUESTED, count=2))[1]
    slots = [slot(day, "Manchester") for day in next_days(3, hour=11)]
    await answer_slots(chat, offer_request, slots)
    offer = (await chat.wait_for_send("slot_choice"))[0]
    assert offer["content"]["kind"] == "list"
    assert [row["id"] for row in offer["content"]["rows"]] == [item.slot_id for item in slots]
    return approve, slots


async def test_an_approved_lead_picks_a_slot_pays_and_is_booked(chat: Chat) -> None:
    approve, slots = await approve_and_offer(chat)
    lead_id = str((await chat.lead())["id"])
    again = await chat.http.post(approve)
    assert again.status_code == 410, "an action link works once"

    await chat.tap_row(slots[1].slot_id, "Thu 11:00")
    hold_request = (await chat.wait_for(subjects.HOLD_REQUESTED))[0]
    assert hold_request["slot_id"] == slots[1].slot_id
    hold_id = uuid.uuid4()
    expires = datetime.now(UTC) + timedelta(minutes=45)
    await chat.publish(
        subjects.HOLD_PLACED,
        HoldPlaced(hold_id=hold_id, lead_id=uuid.UUID(lead_id), range=slots[1].range, expires_at=expires),
        lead_id=lead_id,
    )
    await chat.wait_for_client_text("I'm holding")
    deposit_request = (await chat.wait_for(subjects.DEPOSIT_REQUESTED))[0]
    assert deposit_request["hold_id"] == str(hold_id)
    deposit_id = uuid.UUID(deposit_request["deposit_id"])
    amount = Money(amount_minor=10000, currency="GBP")
    await chat.publish(
        subjects.DEPOSIT_LINK_CREATED,
        DepositLinkCreated(
            deposit_id=deposit_id,
            lead_id=uuid.UUID(lead_id),
            hold_id=hold_id,
            amount=amount,
            url="https://checkout.test/pay/cs_1",
            expires_at=expires,
        ),
        lead_id=lead_id,
    )
    link = await chat.wait_for_client_text("https://checkout.test/pay/cs_1")
    assert "£100" in link
    await chat.publish(
        subjects.DEPOSIT_PAID,
        DepositPaid(
            deposit_id=deposit_id,
            lead_id=uuid.UUID(lead_id),
            hold_id=hold_id,
            amount=amount,
            paid_at=datetime.now(UTC),
            checkout_session_id="cs_1",
        ),
        lead_id=lead_id,
    )
    await chat.wait_for_client_text("Deposit of £100 received")
    await chat.publish(
        subjects.BOOKING_CONFIRMED,
        BookingConfirmed(
            booking_id=uuid.uuid4(),
            lead_id=uuid.UUID(lead_id),
            hold_id=hold_id,
            deposit_id=deposit_id,
            range=slots[1].range,
            city="Manchester",
        ),
        lead_id=lead_id,
    )
    confirmation = await chat.wait_for_client_text("You're booked in")
    artist = await chat.wait_for_artist_text("Booked: Sam")

    assert "Studio 3" in confirmation
    assert "reschedule" in confirmation
    assert "Manchester" in artist
    statuses = [change["to_status"] for change in chat.published(subjects.LEAD_STATUS_CHANGED)]
    assert statuses[-5:] == ["slots_offered", "slot_held", "deposit_requested", "deposit_paid", "booked"]


async def test_the_deposit_names_the_held_session_on_its_clock_not_the_clients_first_message(
    chat: Chat,
) -> None:
    _, slots = await approve_and_offer(chat)
    lead_id = str((await chat.lead())["id"])
    await chat.tap_row(slots[0].slot_id, "Mon 11:00")
    hold_request = (await chat.wait_for(subjects.HOLD_REQUESTED))[0]
    # A session in Lisbon: the client reads its time on Lisbon's clock.
    held = TimeRange(start=datetime(2027, 7, 8, 13, tzinfo=UTC), end=datetime(2027, 7, 8, 17, tzinfo=UTC))
    placed = HoldPlaced(
        hold_id=uuid.uuid4(),
        lead_id=uuid.UUID(lead_id),
        range=held,
        expires_at=datetime.now(UTC) + timedelta(minutes=45),
        timezone="Europe/Lisbon",
    )
    await chat.publish(subjects.HOLD_PLACED, placed, lead_id=lead_id)
    deposit_request = (await chat.wait_for(subjects.DEPOSIT_REQUESTED))[0]

    assert hold_request["client_name"] == "Sam", "the artist's calendar says whom the session is with"
    assert deposit_request["description"] == "Thu 8 Jul, 14:00-18:00 with Rowan"
    assert TimeRange.model_validate(deposit_request["slot"]) == held
    assert deposit_request["timezone"] == "Europe/Lisbon"


async def test_a_slot_named_by_number_is_held_and_an_unclear_pick_is_asked_again(chat: Chat) -> None:
    _, slots = await approve_and_offer(chat)

    await chat.say("hmm what about a different week")
    await chat.wait_for_client_text("couldn't match that")
    await chat.say("option 3 please")
    hold_request = (await chat.wait_for(subjects.HOLD_REQUESTED))[0]

    assert hold_request["slot_id"] == slots[2].slot_id


async def test_a_taken_slot_and_a_lapsed_hold_each_bring_fresh_times(chat: Chat) -> None:
    _, slots = await approve_and_offer(chat)
    lead_id = str((await chat.lead())["id"])
    await chat.say("1")
    await chat.wait_for(subjects.HOLD_REQUESTED)
    await chat.publish(
        subjects.HOLD_REJECTED,
        HoldRejected(
            lead_id=uuid.UUID(lead_id),
            slot_id=slots[0].slot_id,
            range=slots[0].range,
            reason=HoldRejectedReason.TAKEN,
        ),
        lead_id=lead_id,
    )
    await chat.wait_for_client_text("just taken")
    fresh = (await chat.wait_for(subjects.SLOTS_REQUESTED, count=3))[2]
    await answer_slots(chat, fresh, slots[1:])
    await chat.wait_for_send("slot_choice", count=2)
    await chat.say("1")
    await chat.wait_for(subjects.HOLD_REQUESTED, count=2)
    hold_id = uuid.uuid4()
    await chat.publish(
        subjects.HOLD_PLACED,
        HoldPlaced(
            hold_id=hold_id,
            lead_id=uuid.UUID(lead_id),
            range=slots[1].range,
            expires_at=datetime.now(UTC) + timedelta(minutes=45),
        ),
        lead_id=lead_id,
    )
    await chat.wait_for(subjects.DEPOSIT_REQUESTED)
    await chat.publish(
        subjects.HOLD_EXPIRED,
        HoldExpired(hold_id=hold_id, lead_id=uuid.UUID(lead_id), range=slots[1].range),
        lead_id=lead_id,
    )
    await chat.wait_for_client_text("ran out before the deposit")
    await chat.wait_for(subjects.SLOTS_REQUESTED, count=4)
    lead = await chat.lead()
    assert lead["hold_id"] is None


async def test_a_payment_that_lost_its_slot_is_explained_and_handed_to_the_artist(chat: Chat) -> None:
    _, slots = await approve_and_offer(chat)
    lead_id = uuid.UUID(str((await chat.lead())["id"]))
    await chat.publish(
        subjects.BOOKING_CONFLICT,
        BookingConflict(
            lead_id=lead_id,
            hold_id=uuid.uuid4(),
            deposit_id=uuid.uuid4(),
            range=slots[0].range,
            reason="taken",
        ),
        lead_id=str(lead_id),
    )

    await chat.wait_for_client_text("being refunded in full")
    await chat.wait_for_artist_text("needs you* (their paid time is no longer free)")
    assert (await chat.lead())["status"] == "needs_artist"


async def test_a_flood_from_one_number_is_stored_whole_and_answered_once_it_calms_down(
    journey_settings: ConversationSettings, nats_url: str
) -> None:
    # Only here is the limit lowered: at 5 a minute, every journey's answers after the fifth waited for the
    # catch-up pass (about 1.3 s each), and a consultation is a dozen quick answers from one person.
    settings = journey_settings.model_copy(update={"flood_messages_per_minute": 5})
    async with chat_with(settings, nats_url) as chat:
        await _flood_and_calm_down(chat)


async def _flood_and_calm_down(chat: Chat) -> None:
    await chat.say("hi")
    await chat.wait_for_client_text("What would you like")
    sent_before = len(chat.texts_to_client())
    for number in range(12):
        await chat.say(f"spam {number}")

    await eventually(lambda: _settled(chat), timeout=20)
    rows = await chat.rows("SELECT count(*) AS n FROM inbound_messages")
    lead = await chat.lead()

    assert rows[0]["n"] == 13, "nothing the client sent is lost"
    assert lead["consultation"]["answers"]["idea"] == "spam 0"
    burst_replies = chat.texts_to_client()[sent_before:]
    assert len(burst_replies) < 6, f"a burst is answered in bulk, not message by message: {burst_replies}"


async def test_a_reference_picture_is_downloaded_and_linked_for_the_artist(
    chat: Chat, graph_state: GraphState
) -> None:
    graph_state.add_media(b"\xff\xd8\xff\xe0 a rose", "image/jpeg", media_id="media-rose-1")
    request = await consult(chat, reference_media="media-rose-1")
    await answer_slots(chat, request, [slot(day, "Manchester") for day in next_days(1)])
    summary = await chat.wait_for_artist_text("New lead: Sam")
    link = next(line for line in summary.splitlines() if "/media/media-rose-1?" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    async def downloaded() -> bool:
        response = await chat.http.get(path)
        return response.status_code == 200 and response.headers["content-type"].startswith("image/")

    await eventually(downloaded, timeout=20)
    tampered = await chat.http.get(path.replace("media-rose-1", "media-rose-2"))
    assert tampered.status_code == 403


def _next_wamid() -> str:
    return f"wamid.journey{next(_wamids)}"


async def test_a_reaction_mid_consultation_gets_no_reply_and_the_next_answer_still_counts(chat: Chat) -> None:
    await chat.say("a koi fish")
    await chat.wait_for_client_text("Where on your body")
    sent_before = len(chat.texts_to_client())

    await chat.post(
        reaction_message(chat.customer, "👍", reacted_to="wamid.question", message_id=_next_wamid())
    )
    await eventually(lambda: _settled(chat))
    await chat.say("upper arm")
    await chat.wait_for_client_text("Roughly how big")

    # The relay keeps order: a reply to the reaction would have come before the next question.
    assert chat.texts_to_client()[sent_before:] == [chat.texts_to_client()[-1]]
    assert (await chat.lead())["consultation"]["answers"]["placement"]


async def test_a_location_shared_at_the_city_question_is_taken_as_the_city(chat: Chat) -> None:
    for answer in ANSWERS[: ANSWERS.index("Manchester, UK")]:
        expected = len(chat.texts_to_client()) + 1
        await chat.say(answer)
        await chat.wait_for_replies(expected)
    assert "Which city" in chat.texts_to_client()[-1]

    await chat.post(
        location_message(
            chat.customer,
            latitude=51.5076,
            longitude=-0.0994,
            name="Tate Modern",
            address="Bankside, London SE1 9TG, United Kingdom",
            message_id=_next_wamid(),
        )
    )
    await chat.wait_for_client_text("When would suit you")
    await chat.say("next two weeks")
    await chat.wait_for_client_text("Instagram")
    await chat.say("@sam.ink")
    await chat.wait_for_client_text("Here's what I have")
    await chat.say("1")
    request = (await chat.wait_for(subjects.SLOTS_REQUESTED))[0]

    assert (request["city"], request["country_code"]) == ("London", "GB")


async def test_a_sticker_gets_a_short_reply_asking_for_words(chat: Chat) -> None:
    await chat.say("a koi fish")
    await chat.wait_for_client_text("Where on your body")

    await chat.post(sticker_message(chat.customer, "sticker-1", message_id=_next_wamid()))
    reply = await chat.wait_for_client_text("sticker")

    assert reply == "Thanks! I can't open stickers here, so could you type your answer instead?"
    assert not any("only read text" in text for text in chat.texts_to_client())


async def test_opening_the_chat_for_the_first_time_is_greeted_with_the_first_question(chat: Chat) -> None:
    await chat.post(welcome_request_message(chat.customer, message_id=_next_wamid()))

    await chat.wait_for_client_text("What would you like to get tattooed")
    assert "booking assistant" in chat.texts_to_client()[0]


# --- Clients answered in their own language -------------------------------------------------------------


def _from(chat: Chat, wa_id: str, name: str) -> Chat:
    """The same chat, with a client writing from `wa_id` (its country is the language's first guess)."""
    chat.customer = Customer(wa_id=f"{wa_id}{uuid.uuid4().int % 10000:04d}", name=name)
    return chat


async def _answer(chat: Chat, text: str, expected: str) -> str:
    await chat.say(text)
    return await chat.wait_for_client_text(expected)


async def test_a_client_from_a_spanish_number_writing_spanish_is_answered_in_spanish_to_the_summary(
    chat: Chat,
) -> None:
    chat = _from(chat, "3460011", "Lucía")

    await _answer(chat, "hola, quiero un tatuaje", "¿Qué te gustaría tatuarte?")
    assert "asistente de citas de Rowan" in chat.texts_to_client()[0]
    assert (await chat.lead())["language"] == "es"
    await _answer(chat, "una golondrina pequeña con el nombre de mi abuela", "¿En qué parte del cuerpo")
    await _answer(chat, "en el antebrazo izquierdo", "¿Más o menos de qué tamaño?")
    await _answer(chat, "ni idea", "¿Me das una medida aproximada?")
    await _answer(chat, "10x15 cm", "¿Tienes algún estilo en mente")
    await _answer(chat, "fine line", "¿Tienes fotos de referencia?")
    await _answer(chat, "no", "¿Cuánto te gustaría invertir")
    await _answer(chat, "entre 400 y 500 libras", "¿En qué ciudad y país vives?")
    await _answer(chat, "Manchester, Reino Unido", "¿Cuándo te vendría bien la cita?")
    await _answer(chat, "lo antes posible", "¡Última pregunta!")
    read_back = await _answer(chat, "@lucia.tattoo", "Esto es lo que tengo:")
    assert "• Presupuesto: " in read_back
    assert "• Ciudad: Manchester, Reino Unido" in read_back
    await _answer(chat, "1", "¡Eso es todo, gracias!")

    request = (await chat.wait_for(subjects.SLOTS_REQUESTED))[0]
    await answer_slots(chat, request, [slot(day, "Manchester") for day in next_days(3)])
    summary = await chat.wait_for_artist_text("New lead: Lucía")
    assert "una golondrina pequeña con el nombre de mi abuela" in summary
    assert "*Language:* Spanish" in summary
    assert '*Budget:* £400-£500 ("entre 400 y 500 libras")' in summary, "what was understood, and from what"
    assert '*Where:* Manchester, GB ("Manchester, Reino Unido")' in summary
    english = ("What would you", "Where on your body", "Sorry", "Thanks", "That's everything")
    assert not [text for text in chat.texts_to_client() if text.startswith(english)]
    assert (await chat.lead())["language"] == "es"


async def test_a_client_from_a_german_number_is_answered_in_german_and_can_ask_for_english(
    chat: Chat,
) -> None:
    chat = _from(chat, "4915112", "Jonas")

    # Too short to tell a language by: the number's country decides.
    await _answer(chat, "Hallo!", "Was möchtest du dir tätowieren lassen?")
    await _answer(chat, "eine kleine Schwalbe mit dem Namen meiner Oma", "An welche Stelle am Körper")
    await _answer(chat, "unterer Rücken", "Wie groß soll es ungefähr werden?")
    await _answer(chat, "keine Ahnung", "Kannst du mir stattdessen ungefähre Maße geben?")
    assert (await chat.lead())["language"] == "de"

    await _answer(chat, "English please", "I'll write to you in English from now on")
    await chat.wait_for_client_text("Roughly how big should it be?")
    await _answer(chat, "10x15cm", "Do you have a style in mind")
    assert (await chat.lead())["language"] == "en"
    announced = [
        (event["wa_id"], event["language"])
        for event in await chat.wait_for(subjects.LEAD_LANGUAGE_SET, count=2)
    ]
    assert announced == [(chat.customer.wa_id, "de"), (chat.customer.wa_id, "en")], "once per change"


async def test_a_client_from_a_spanish_number_writing_english_stays_in_english(chat: Chat) -> None:
    chat = _from(chat, "3460022", "Sam")

    await _answer(chat, "Hi! I'd love to book a tattoo", "What would you like to get tattooed?")
    await _answer(chat, "a small rose", "Where on your body would you like it?")
    await _answer(chat, "ok", "Sorry, I didn't catch where it would go")
    assert (await chat.lead())["language"] == "en"
    assert not any("¿" in text for text in chat.texts_to_client())


# --- From the first message to a booked appointment, in each language --------------------------------


@dataclass(frozen=True)
class Journey:
    """One client writing their own language from a number of its country, as they would really write."""

    language: str
    language_name: str  # as the artist's summary names it
    number: str
    name: str
    answers: tuple[str, ...]  # the first message, then one answer per question


JOURNEYS = [
    Journey("es", "Spanish", "3460033", "Lucía", (
        "hola, quiero un tatuaje", "una golondrina pequeña con el nombre de mi abuela",
        "en el antebrazo izquierdo", "10x15 cm", "fine line", "no", "entre 400 y 500 libras",
        "Manchester, Reino Unido", "lo antes posible", "@lucia.tattoo",
    )),
    Journey("pt", "Portuguese", "5511988", "João", (
        "oi, queria fazer uma tatuagem", "uma andorinha pequena com o nome da minha avó",
        "no antebraço esquerdo", "10x15 cm", "fine line", "não", "400 a 500 libras",
        "Manchester, Reino Unido", "o quanto antes", "@joao.tattoo",
    )),
    Journey("de", "German", "4915133", "Jonas", (
        "Hallo, ich möchte ein Tattoo", "eine kleine Schwalbe mit dem Namen meiner Oma", "linker Unterarm",
        "10x15 cm", "Fineline", "nein", "400-500 Pfund", "Manchester, England", "so bald wie möglich",
        "@jonas.ink",
    )),
    Journey("fr", "French", "3361244", "Camille", (
        "bonjour, je voudrais un tatouage", "une petite hirondelle avec le prénom de ma grand-mère",
        "avant-bras gauche", "10x15 cm", "fine line", "non", "entre 400 et 500 livres",
        "Manchester, Royaume-Uni", "dès que possible", "@camille.tattoo",
    )),
    Journey("it", "Italian", "3933455", "Giulia", (
        "ciao, vorrei fare un tatuaggio", "una piccola rondine con il nome di mia nonna",
        "avambraccio sinistro", "10x15 cm", "fine line", "no", "400-500 sterline",
        "Manchester, Regno Unito", "prima possibile", "@giulia.ink",
    )),
]  # fmt: skip


def _opening(language: str, key: str) -> str:
    """How a text starts in the language, up to its first placeholder: enough to recognise it."""
    return Copy.load(language).texts[key].split("{", 1)[0].strip()[:24]


def _english_openings() -> set[str]:
    """The first three words of every English client text that has three before a placeholder."""
    heads = (template.split("{", 1)[0].split() for template in Copy.load("en").texts.values())
    return {" ".join(words[:3]) for words in heads if len(words) >= 3}


@pytest.mark.parametrize("journey", JOURNEYS, ids=[journey.language for journey in JOURNEYS])
async def test_a_client_writing_their_own_language_is_answered_in_it_from_hello_to_booked(
    chat: Chat, journey: Journey
) -> None:
    chat = _from(chat, journey.number, journey.name)
    for answer in journey.answers:
        expected = len(chat.texts_to_client()) + 1
        await chat.say(answer)
        await chat.wait_for_replies(expected)
    read_back = await chat.wait_for_client_text(_opening(journey.language, "read_back.ask"))
    assert "Manchester" in read_back
    await _answer(chat, "1", _opening(journey.language, "consultation.complete"))
    assert (await chat.lead())["language"] == journey.language

    request = (await chat.wait_for(subjects.SLOTS_REQUESTED))[0]
    await answer_slots(chat, request, [slot(day, "Manchester") for day in next_days(2)])
    summary = await chat.wait_for_artist_text(f"New lead: {journey.name}")
    assert f"Language:* {journey.language_name}" in summary
    approve = action_paths(artist_send(chat, f"New lead: {journey.name}"))[0]
    assert (await chat.http.post(approve)).status_code == 200
    await chat.wait_for_client_text(_opening(journey.language, "decision.approved"))
    offer_request = (await chat.wait_for(subjects.SLOTS_REQUESTED, count=2))[1]
    slots = [slot(day, "Manchester") for day in next_days(3, hour=11)]
    await answer_slots(chat, offer_request, slots)
    await chat.wait_for_send("slot_choice")
    await chat.tap_row(slots[0].slot_id, "1")
    await chat.wait_for(subjects.HOLD_REQUESTED)
    lead_id = uuid.UUID(str((await chat.lead())["id"]))
    hold_id, expires = uuid.uuid4(), datetime.now(UTC) + timedelta(minutes=45)
    await chat.publish(
        subjects.HOLD_PLACED,
        HoldPlaced(hold_id=hold_id, lead_id=lead_id, range=slots[0].range, expires_at=expires),
        lead_id=str(lead_id),
    )
    deposit_request = (await chat.wait_for(subjects.DEPOSIT_REQUESTED))[0]
    deposit_id = uuid.UUID(deposit_request["deposit_id"])
    assert deposit_request["language"] == journey.language, "Checkout and the paid page speak it too"
    amount = Money(amount_minor=10000, currency="GBP")
    url = f"https://checkout.test/pay/{journey.language}"
    await chat.publish(
        subjects.DEPOSIT_LINK_CREATED,
        DepositLinkCreated(
            deposit_id=deposit_id,
            lead_id=lead_id,
            hold_id=hold_id,
            amount=amount,
            url=url,
            expires_at=expires,
        ),
        lead_id=str(lead_id),
    )
    await chat.wait_for_client_text(url)
    paid = DepositPaid(
        deposit_id=deposit_id,
        lead_id=lead_id,
        hold_id=hold_id,
        amount=amount,
        paid_at=datetime.now(UTC),
        checkout_session_id=f"cs_{journey.language}",
    )
    await chat.publish(subjects.DEPOSIT_PAID, paid, lead_id=str(lead_id))
    confirmed = BookingConfirmed(
        booking_id=uuid.uuid4(),
        lead_id=lead_id,
        hold_id=hold_id,
        deposit_id=deposit_id,
        range=slots[0].range,
        city="Manchester",
    )
    await chat.publish(subjects.BOOKING_CONFIRMED, confirmed, lead_id=str(lead_id))
    booked = await chat.wait_for_client_text(_opening(journey.language, "booking.booked"))

    assert "Studio 3" in booked
    english = _english_openings()
    in_english = [text for text in chat.texts_to_client() if " ".join(text.split()[:3]) in english]
    assert in_english == [], "every reply is in the client's language"
    languages = {send["language"] for send in chat.sends(chat.customer.wa_id)}
    assert languages == {journey.language}, "outside the window the template goes in it too"
    # Days and months too: "Thu 10 Dec" inside a Spanish sentence reads as a machine's.
    english_days = ("Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun ")
    offer = next(
        send["content"] for send in chat.sends(chat.customer.wa_id) if send["purpose"] == "slot_choice"
    )
    readable = [
        *chat.texts_to_client(),
        deposit_request["description"],
        offer["button"],
        offer["section_title"],
    ]
    readable += [f"{row['title']} {row['description']}" for row in offer["rows"]]
    assert [text for text in readable if any(day in text for day in english_days)] == []
    copy = Copy.load(journey.language)
    assert (offer["button"], offer["section_title"]) == (
        copy.texts["booking.times_button"],
        copy.texts["booking.times_section"],
    )
    assert (await chat.lead())["status"] == "booked"


# --- A model reading what the rules cannot (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL) ---------------------


async def test_a_budget_the_rules_cannot_read_is_read_by_the_model_and_checked_by_the_budget_parser(
    journey_settings: ConversationSettings, nats_url: str
) -> None:
    asked: list[str] = []
    fake = FastAPI()

    @fake.post("/v1/chat/completions")
    async def completions(request: Request) -> dict[str, Any]:
        body = await request.json()
        message = body["messages"][-1]["content"]
        asked.append(message)
        read = {"budget": "£600"} if "birthday" in message else {}
        fields = body["response_format"]["json_schema"]["schema"]["required"]
        content = json.dumps({name: read.get(name) for name in fields})
        choice = {"index": 0, "message": {"role": "assistant", "content": content, "refusal": None}}
        return {"object": "chat.completion", "choices": [{**choice, "finish_reason": "stop"}]}

    with serve_in_background(fake) as url:
        settings = journey_settings.model_copy(
            update={"llm_base_url": f"{url}/v1", "llm_api_key": SecretStr("sk-test"), "llm_model": "gpt-test"}
        )
        async with chat_with(settings, nats_url) as chat:
            for answer in ANSWERS[: ANSWERS.index("£400-500")]:
                expected = len(chat.texts_to_client()) + 1
                await chat.say(answer)
                await chat.wait_for_replies(expected)
            await _answer(chat, "whatever my mum lends me for my birthday lol", "Which city")
            consultation = (await chat.lead())["consultation"]

    assert consultation["answers"]["budget"] == {"min_minor": 60000, "max_minor": 60000, "currency": "GBP"}
    assert consultation["model_calls"] == 1
    assert len(asked) == 1, "greetings and answers the rules read cost no call"


async def test_a_minimum_spend_saved_in_the_studio_applies_to_the_next_consultation_without_a_restart(
    chat: Chat,
) -> None:
    admin = {"Authorization": f"Bearer {SANDBOX_ADMIN_TOKEN}"}
    current = (await chat.http.get("/api/settings", headers=admin)).json()["settings"]
    saved = await chat.http.put(
        "/api/settings",
        headers=admin,
        json={"settings": {**current, "minimum_spend_minor": 60000}, "changed_by": "Rowan"},
    )
    assert saved.status_code == 200, saved.text

    # £450 clears the environment's £150 minimum; the same running service must now judge it by £600.
    await consult(chat, budget="£450")

    reply = await chat.wait_for_client_text("minimum for a tattoo is £600")
    summary = await chat.wait_for_artist_text("below your minimum")
    assert "£150" not in reply
    assert "below your minimum of £600" in summary
    assert (await chat.lead())["status"] == "below_minimum"


@contextmanager
def statements_run() -> Iterator[Counter[str]]:
    """Every SQL statement the service sends while inside, counted by who sent it: the consumer (by its
    name) or, for the rest sent from this test's own task (which the in-process HTTP client runs the
    app in), "webhook"."""
    counted: Counter[str] = Counter()
    mine = asyncio.current_task()

    def count(*_: object) -> None:
        consumer = structlog.contextvars.get_contextvars().get("consumer")
        if consumer is not None:
            counted[str(consumer)] += 1
        elif asyncio.current_task() is mine:
            counted["webhook"] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def test_an_answer_costs_few_statements_in_the_webhook_and_in_its_turn(chat: Chat) -> None:
    await chat.say("Hi, I'd like to book a tattoo")
    await chat.wait_for_client_text("What would you like")
    with statements_run() as counted:
        await chat.say("a rose with a thin stem")
        webhook = counted["webhook"]
        await chat.wait_for_client_text("Where on your body")
        await eventually(lambda: _settled(chat))
    for answer in ANSWERS[2:]:  # the rest of the consultation, so the lead ends as every test's does
        expected = len(chat.texts_to_client()) + 1
        await chat.say(answer)
        await chat.wait_for_replies(expected)
    await chat.say("@sam.ink")
    await chat.wait_for_client_text("Here's what I have")
    await chat.say("1")
    await chat.wait_for_client_text("That's everything")

    # The known contact locked, its newest lead with the duplicate check, the message, the outbox (a
    # savepoint per message only after the database refused one, test_whatsapp_webhook.py).
    assert webhook <= 4
    # The inbox claim, the lead locked with its contact and the settings' version, the pending messages
    # with the flood count, the message and the lead marked, the outbox.
    assert counted["conversation-client-message"] <= 6
