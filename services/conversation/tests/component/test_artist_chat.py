"""The artist working from WhatsApp, through the real webhook, NATS and PostgreSQL: the artist's number is
never a lead, summaries carry buttons a tap acts on, and the artist's replies reach the client from the
business number. The webhooks are the Graph fake's payloads; the notifier and calendar are played here."""

from __future__ import annotations

import contextlib
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.base import Contract, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, MessageFailed, MessageSent
from inkline_contracts.events.slots import SlotsSuggested, SuggestedSlot
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
    image_message,
    quick_reply_message,
    sign_payload,
    text_message,
    voice_message,
)

SECRET = "artist-chat-app-secret"
ARTIST = "447700900000"
_wamids = itertools.count(1)
WATCHED = (
    subjects.NOTIFY_SEND,
    subjects.LEAD_CREATED,
    subjects.CONSULT_MESSAGE_RECEIVED,
    subjects.ARTIST_MESSAGE_RECEIVED,
    subjects.SLOTS_REQUESTED,
)


@dataclass
class Phones:
    """A client and the artist writing to the business number; everything the service publishes is seen."""

    http: httpx.AsyncClient
    client: Customer
    artist: Customer
    database_url: str
    probes: dict[str, JetStreamProbe]
    js: Any

    async def post(self, payload: dict[str, Any]) -> None:
        body = encode(payload)
        response = await self.http.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign_payload(body, SECRET), "Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text

    async def client_says(self, body: str) -> None:
        await self.post(text_message(self.client, body, message_id=_wamid(), timestamp=int(time.time())))

    async def artist_says(self, body: str, *, reply_to: str | None = None) -> None:
        await self.post(
            text_message(
                self.artist, body, message_id=_wamid(), timestamp=int(time.time()), reply_to=reply_to
            )
        )

    async def artist_taps(self, button: dict[str, str]) -> None:
        await self.post(button_reply_message(self.artist, button["id"], button["title"], message_id=_wamid()))

    async def artist_taps_quick_reply(self, payload: str, title: str) -> None:
        """A tap on a template's quick reply: Meta sends `type: button` with the payload."""
        await self.post(quick_reply_message(self.artist, payload, title, message_id=_wamid()))

    def sends(self, to: str) -> list[dict[str, Any]]:
        return [
            message["payload"]
            for message in self.probes[subjects.NOTIFY_SEND.name].messages
            if message["payload"]["to"] == to
        ]

    async def wait_for_send(self, to: str, check: Any, *, timeout: float = 15.0) -> dict[str, Any]:
        """The first send to `to` whose payload passes `check`."""
        await self.probes[subjects.NOTIFY_SEND.name].wait_for(
            lambda _: any(check(send) for send in self.sends(to)), timeout=timeout
        )
        return next(send for send in self.sends(to) if check(send))

    async def wait_for_client_text(self, fragment: str) -> dict[str, Any]:
        return await self.wait_for_send(self.client.wa_id, lambda send: fragment in _words(send))

    async def wait_for_artist(self, purpose: str, fragment: str = "") -> dict[str, Any]:
        return await self.wait_for_send(
            ARTIST, lambda send: send["purpose"] == purpose and fragment in _words(send)
        )

    async def deliver_to_artist(self, send: dict[str, Any], *, lead_id: str) -> str:
        """Play the notifier: the send reached the artist's phone as `wamid`."""
        wamid = f"wamid.to-artist.{uuid.uuid4().hex}"
        sent = MessageSent(
            notification_id=str(uuid.uuid4()),
            to=ARTIST,
            wamid=wamid,
            purpose=send["purpose"],
            category=Category.SERVICE,
        )
        await self.publish(subjects.MESSAGE_SENT, sent, lead_id=lead_id)
        await eventually(lambda: self.rows("SELECT 1 FROM artist_threads WHERE wamid = :w", w=wamid))
        return wamid

    async def publish(self, subject: Subject[Any], payload: Contract, *, lead_id: str) -> None:
        envelope = new_envelope(subject, payload, correlation_id=lead_id)
        await self.js.publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )

    async def lead(self) -> dict[str, Any]:
        rows = await self.rows(
            "SELECT * FROM leads WHERE wa_id = :wa_id ORDER BY created_at DESC LIMIT 1",
            wa_id=self.client.wa_id,
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


def _wamid() -> str:
    return f"wamid.artistchat{next(_wamids)}.{uuid.uuid4().hex[:8]}"


def _words(send: dict[str, Any]) -> str:
    content = send["content"]
    return " ".join(
        [str(content.get("body") or content.get("name") or ""), *content.get("body_parameters", [])]
    )


@dataclass
class ShiftedClock:
    """Real time moved on by `ahead`, so a test can bring the artist's digest hour round."""

    ahead: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead


@contextlib.asynccontextmanager
async def running_phones(
    migrated_database: DatabaseFactory, nats_url: str, clock: ShiftedClock | None = None, **overrides: Any
) -> AsyncIterator[Phones]:
    settings = ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_app_secret=SECRET,
        artist_whatsapp_number=ARTIST,
        artist_name="Rowan",
        public_base_url="http://artist.test",
        log_json=False,
        # These tests download no media: somewhere the sandbox accepts, where nothing answers.
        **{"whatsapp_graph_url": "http://127.0.0.1:9/v21.0", **overrides},
    )
    connection = await nats.connect(nats_url)
    probes = {subject.name: JetStreamProbe(nats_url, subject.name) for subject in WATCHED}
    try:
        async with running_service(create_app(settings, clock=clock or ShiftedClock())) as http:
            for probe in probes.values():
                await probe.__aenter__()
            yield Phones(
                http=http,
                client=Customer(wa_id=f"4477009{uuid.uuid4().int % 100000:05d}", name="Sam"),
                artist=Customer(wa_id=ARTIST, name="Rowan"),
                database_url=settings.database_url,
                probes=probes,
                js=connection.jetstream(),
            )
    finally:
        for probe in probes.values():
            if probe._client is not None:
                await probe.__aexit__()
        await connection.close()


@pytest.fixture
async def phones(migrated_database: DatabaseFactory, nats_url: str) -> AsyncIterator[Phones]:
    async with running_phones(migrated_database, nats_url) as running:
        yield running


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


async def answered(phones: Phones, answer: str) -> None:
    """The client says `answer` and is answered (the next question comes only after it)."""
    before = len(phones.sends(phones.client.wa_id))
    await phones.client_says(answer)
    await phones.probes[subjects.NOTIFY_SEND.name].wait_for(
        lambda _: len(phones.sends(phones.client.wa_id)) > before
    )


async def consult_to_summary(phones: Phones) -> dict[str, Any]:
    """Answer every question and play the calendar; returns the summary sent to the artist."""
    for answer in ANSWERS:
        await answered(phones, answer)
    await answered(phones, "@sam.ink")  # the last answer brings the read-back
    await phones.client_says("1")  # which the client sends on to the artist
    request = (await phones.probes[subjects.SLOTS_REQUESTED.name].wait_for_count(1))[0]["payload"]
    await answer_slots(phones, request)
    return await phones.wait_for_artist("artist_lead_summary")


async def answer_slots(phones: Phones, request: dict[str, Any]) -> None:
    today = datetime.now(UTC).replace(hour=14, minute=0, second=0, microsecond=0)
    slots = [
        SuggestedSlot(
            slot_id=f"slot-{day:%Y%m%d}",
            range=TimeRange(start=day, end=day + timedelta(hours=4)),
            city="Manchester",
        )
        for day in (today + timedelta(days=offset) for offset in (3, 4))
    ]
    suggested = SlotsSuggested(
        request_id=request["request_id"], lead_id=request["lead_id"], slots=slots, preference_met=True
    )
    await phones.publish(subjects.SLOTS_SUGGESTED, suggested, lead_id=request["lead_id"])


async def _artist_message_handled(phones: Phones) -> bool:
    rows = await phones.rows("SELECT count(*) AS pending FROM artist_messages WHERE processed_at IS NULL")
    return bool(rows[0]["pending"] == 0)


async def test_the_artists_hi_never_creates_a_lead(phones: Phones) -> None:
    await phones.artist_says("hi")

    await phones.probes[subjects.ARTIST_MESSAGE_RECEIVED.name].wait_for_count(1)
    answer = await phones.wait_for_artist("artist_answer")
    assert await phones.rows("SELECT * FROM leads WHERE wa_id = :wa_id", wa_id=ARTIST) == []
    assert await phones.rows("SELECT * FROM inbound_messages WHERE wa_id = :wa_id", wa_id=ARTIST) == []
    assert phones.probes[subjects.LEAD_CREATED.name].messages == []
    assert phones.probes[subjects.CONSULT_MESSAGE_RECEIVED.name].messages == []
    assert "which client" in _words(answer), "the artist is told why nothing was sent"


SUMMARY_INSIDE_THE_WINDOW = """New lead: Sam
*Language:* English
*Idea:* a rose with a thin stem
*Placement:* left inner forearm
*Size:* 15x10 cm (medium session) ("10x15cm")
*Style:* fine line
*Budget:* £400-£500
*Where:* Manchester, GB ("Manchester, UK")
*Dates:* {dates}
*Instagram:* @sam.ink
*Estimated deposit:* £100

Swipe right on this message to answer them yourself."""


async def test_the_artist_taps_approve_on_the_summary_and_the_client_gets_times(phones: Phones) -> None:
    await phones.artist_says("morning!")  # the artist's 24-hour window is open
    await phones.wait_for_artist("artist_answer")

    summary = await consult_to_summary(phones)

    content = summary["content"]
    assert content["kind"] == "buttons"
    dates = content["body"].split("*Dates:* ", 1)[1].split("\n", 1)[0]
    assert content["body"] == SUMMARY_INSIDE_THE_WINDOW.format(dates=dates)
    assert [button["title"] for button in content["buttons"]] == ["Approve", "Decline", "Take over"]
    assert "http" not in content["body"], "no raw links inside the window"

    await phones.artist_taps(content["buttons"][0])

    answer = await phones.wait_for_artist("artist_answer", "Approved")
    assert "Sam will get your free times" in _words(answer)
    offer = (await phones.probes[subjects.SLOTS_REQUESTED.name].wait_for_count(2))[1]["payload"]
    await answer_slots(phones, offer)
    await phones.wait_for_client_text("1.")
    assert (await phones.lead())["status"] == "slots_offered"

    # The same button again: single use, and the artist is told so.
    await phones.artist_taps(content["buttons"][0])
    again = await phones.wait_for_artist("artist_answer", "already tapped")
    assert "nothing more was done" in _words(again)


async def test_outside_the_artists_window_the_summary_is_a_template_with_quick_replies(
    phones: Phones,
) -> None:
    summary = await consult_to_summary(phones)

    content = summary["content"]
    assert content["kind"] == "template"
    assert content["name"] == "inkline_artist_lead_decision"
    (parameter,) = content["body_parameters"]
    assert "\n" not in parameter, "Meta refuses newlines in a template parameter"
    dates = parameter.split("*Dates:* ", 1)[1].split(" · *Instagram:*", 1)[0]
    lines = SUMMARY_INSIDE_THE_WINDOW.format(dates=dates).splitlines()
    assert parameter == " · ".join(line for line in lines if line), "one line, label by label"
    assert len(content["quick_reply_payloads"]) == 3
    assert all(payload.startswith("act:") for payload in content["quick_reply_payloads"])


async def _hand_over_at_the_size_question(phones: Phones) -> str:
    """Two unreadable sizes hand the chat to the artist; returns the lead id."""
    for answer in ("a koi fish", "upper arm", "big"):
        await answered(phones, answer)
    await phones.client_says("really huge")
    await phones.wait_for_artist("handover_alert")
    await eventually(lambda: _status_is(phones, "needs_artist"))
    return str((await phones.lead())["id"])


async def _status_is(phones: Phones, status: str) -> bool:
    return bool((await phones.lead())["status"] == status)


async def test_a_swipe_reply_to_a_forwarded_message_reaches_the_client_from_the_business_number(
    phones: Phones,
) -> None:
    lead_id = await _hand_over_at_the_size_question(phones)
    packet_wamid = await phones.deliver_to_artist(
        await phones.wait_for_artist("handover_alert"), lead_id=lead_id
    )
    await phones.client_says("can it be in colour?")
    forwarded = await phones.wait_for_artist("artist_forwarded_message", "can it be in colour?")
    assert forwarded["content"]["reply_to"] == packet_wamid, "it quotes the thread about this client"
    wamid = await phones.deliver_to_artist(forwarded, lead_id=lead_id)

    await phones.artist_says("Sure, colour is fine", reply_to=wamid)

    reply = await phones.wait_for_client_text("Sure, colour is fine")
    assert reply["purpose"] == "artist_reply"
    assert reply["content"] == {"kind": "text", "body": "Sure, colour is fine", "preview_url": False}
    thread = await phones.rows("SELECT text FROM artist_messages WHERE lead_id = :lead", lead=lead_id)
    assert thread == [{"text": "Sure, colour is fine"}], "the lead's thread records the artist's reply"
    await eventually(lambda: _artist_message_handled(phones))
    assert not [send for send in phones.sends(ARTIST) if "last client" in _words(send)], (
        "a quoted reply needs no explanation"
    )

    # A picture swiped onto the same message: the client gets the picture itself, from the business number.
    await phones.post(
        image_message(
            phones.artist, "1013859600285441", caption="the stencil", message_id=_wamid(), reply_to=wamid
        )
    )
    picture = await phones.wait_for_send(phones.client.wa_id, lambda send: send["content"].get("media"))
    assert picture["purpose"] == "artist_reply"
    assert picture["content"]["media"] == {
        "type": "image",
        "id": "1013859600285441",
        "caption": "the stencil",
        "filename": None,
    }
    # The notifier could not pass it on (over WhatsApp's 5 MB for pictures): the artist hears why.
    too_big = MessageFailed(
        notification_id=str(uuid.uuid4()), to=phones.client.wa_id, reason="media_too_large"
    )
    await phones.publish(subjects.MESSAGE_FAILED, too_big, lead_id=lead_id)
    told = await phones.wait_for_artist("artist_answer", "too big for WhatsApp to pass on")
    assert "5 MB" in _words(told)


async def test_outside_the_clients_window_the_artists_reply_goes_as_the_approved_template(
    phones: Phones,
) -> None:
    lead_id = await _hand_over_at_the_size_question(phones)
    packet = await phones.wait_for_artist("handover_alert")
    wamid = await phones.deliver_to_artist(packet, lead_id=lead_id)
    await phones.rows(
        "UPDATE leads SET last_inbound_at = now() - interval '2 days' WHERE id = :lead", lead=lead_id
    )

    await phones.artist_says("Hi Sam, shall we do a call?", reply_to=wamid)

    reply = await phones.wait_for_send(phones.client.wa_id, lambda send: send["purpose"] == "artist_reply")
    assert reply["content"]["kind"] == "template"
    assert reply["content"]["name"] == "inkline_artist_reply"
    assert reply["content"]["body_parameters"] == ["Rowan", "Hi Sam, shall we do a call?"]

    # A voice note cannot go outside the window: the client is told one is waiting, the artist why.
    await phones.post(voice_message(phones.artist, "1013859600285442", message_id=_wamid(), reply_to=wamid))
    await phones.wait_for_client_text("a voice note. Reply here and it will come through.")
    await phones.wait_for_artist("artist_answer", "goes as soon as they answer")

    await phones.client_says("hi Rowan")

    voice = await phones.wait_for_send(phones.client.wa_id, lambda send: send["content"].get("media"))
    assert voice["content"]["media"]["type"] == "audio"
    assert voice["content"]["media"]["id"] == "1013859600285442"


async def test_an_unquoted_reply_goes_to_the_last_client_handled_and_bot_hands_back(phones: Phones) -> None:
    lead_id = await _hand_over_at_the_size_question(phones)
    packet = await phones.wait_for_artist("handover_alert")
    wamid = await phones.deliver_to_artist(packet, lead_id=lead_id)
    await phones.artist_says("Hi Sam, it's Rowan", reply_to=wamid)
    await phones.wait_for_client_text("Hi Sam, it's Rowan")

    await phones.artist_says("How about 12cm?")

    await phones.wait_for_client_text("How about 12cm?")
    receipt = await phones.wait_for_artist("artist_answer", "last client")
    assert "Sent to Sam" in _words(receipt)

    await phones.artist_says("bot")

    await phones.wait_for_artist("artist_answer", "where it stopped")
    assert (await phones.lead())["status"] == "consulting", "“bot” hands the chat back"


async def test_hand_back_resumes_the_consultation_at_the_question_it_was_on(phones: Phones) -> None:
    await _hand_over_at_the_size_question(phones)
    packet = (await phones.wait_for_artist("handover_alert"))["content"]
    assert packet["kind"] == "template", "the artist has not written today: the template with quick replies"
    assert packet["name"] == "inkline_artist_chat_handover"
    assert "couldn't read their answer twice: the size" in packet["body_parameters"][0], "plain words"
    asked_before = len([send for send in phones.sends(phones.client.wa_id) if "how big" in _words(send)])

    await phones.artist_taps_quick_reply(packet["quick_reply_payloads"][0], "Hand back")

    await phones.wait_for_artist("artist_answer", "where it stopped")
    await phones.probes[subjects.NOTIFY_SEND.name].wait_for(
        lambda _: (
            len([send for send in phones.sends(phones.client.wa_id) if "how big" in _words(send)])
            > asked_before
        )
    )
    assert (await phones.lead())["status"] == "consulting"


# A second stands for ARTIST_NUDGE_HOURS, two for ARTIST_HOLDING_REPLY_HOURS.
QUICK_WAITS: dict[str, Any] = {
    "artist_nudge_hours": 1 / 3600,
    "artist_holding_reply_hours": 2 / 3600,
    "artist_chat_check_seconds": 0.2,
}


async def test_a_client_waiting_on_the_artist_brings_one_reminder_and_a_holding_reply(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    waits = QUICK_WAITS | {"artist_working_hours": (0, 24)}
    async with running_phones(migrated_database, nats_url, **waits) as phones:
        await _hand_over_at_the_size_question(phones)
        await phones.client_says("hello? can it be in colour?")
        await phones.wait_for_artist("artist_forwarded_message", "can it be in colour?")

        nudge = await phones.wait_for_artist("artist_nudge")
        holding = await phones.wait_for_client_text("hasn't had a chance to reply yet")

        assert "*Sam* is still waiting for your answer" in _words(nudge)
        assert holding["purpose"] == "holding_reply"
        nudges = [send for send in phones.sends(ARTIST) if send["purpose"] == "artist_nudge"]
        assert len(nudges) == 1, "one reminder, though the job ran many times before the holding reply"


async def test_outside_working_hours_the_artist_is_not_reminded_but_the_client_still_hears_back(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    waits = QUICK_WAITS | {"artist_working_hours": (0, 0)}
    async with running_phones(migrated_database, nats_url, **waits) as phones:
        await _hand_over_at_the_size_question(phones)
        await phones.client_says("hello?")

        await phones.wait_for_client_text("hasn't had a chance to reply yet")

        assert not [send for send in phones.sends(ARTIST) if send["purpose"] == "artist_nudge"]


async def test_the_artist_gets_one_short_digest_at_the_hour_they_chose(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    clock = ShiftedClock()
    hour = (datetime.now(ZoneInfo("Europe/London")).hour + 2) % 24
    waits = {"artist_digest_hour": hour, "artist_chat_check_seconds": 0.2}
    async with running_phones(migrated_database, nats_url, clock=clock, **waits) as phones:
        await phones.rows(
            "INSERT INTO contacts (wa_id, profile_name) VALUES (:wa_id, 'Sam')", wa_id=phones.client.wa_id
        )
        await phones.rows(
            "INSERT INTO leads (id, wa_id, status, qualified)"
            " VALUES (:lead, :wa_id, 'qualified', CAST(:qualified AS jsonb))",
            lead=uuid.uuid4(),
            wa_id=phones.client.wa_id,
            qualified='{"idea": "a rose"}',
        )
        # A session at noon on the digest's day (the clock is two hours on by then).
        noon = (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=2)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        booking = {"start": noon.isoformat(), "end": (noon + timedelta(hours=3)).isoformat()}
        await phones.rows("INSERT INTO contacts (wa_id, profile_name) VALUES ('447700900777', 'Kit')")
        await phones.rows(
            "INSERT INTO leads (id, wa_id, status, qualified, booking_range) VALUES"
            " (:lead, '447700900777', 'booked', CAST(:qualified AS jsonb), CAST(:booking AS jsonb))",
            lead=uuid.uuid4(),
            qualified='{"idea": "a swallow"}',
            booking=json.dumps(booking),
        )
        clock.ahead = timedelta(hours=2)

        digest = await phones.wait_for_artist("artist_digest")

        assert _words(digest).startswith("*Your day, ")
        assert "*Waiting for your decision:* Sam" in _words(digest)
        assert "*New leads since yesterday:* 2" in _words(digest)
        assert "*Today:* 12:00 Kit (a swallow)" in _words(digest)
        assert len(await phones.rows("SELECT * FROM artist_digests")) == 1
