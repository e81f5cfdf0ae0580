"""The whole booking journey across all five services, with every provider a local fake over real HTTP.

A client writes on WhatsApp (signed webhooks into conversation), answers the consultation, the artist
approves from the link in their summary, the client taps a slot, pays on the fake Stripe checkout, and
ends up booked with one event in the fake Google Calendar and a confirmation on both phones. The
conversation service is restarted in the middle; nothing in the outcome may change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_devstack.harness import eventually, running_service
from inkline_devstack.provider_fakes import CREDENTIALS, ProviderFakes, provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_sandbox.graph.webhooks import Customer, encode, list_reply_message, sign_payload, text_message
from inkline_sandbox.server import serve_in_background

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
APP_SECRET = CREDENTIALS.app_secret
ARTIST = CREDENTIALS.artist
CALENDAR_ID = CREDENTIALS.calendar_id
CLIENT = Customer(wa_id="447700900777", name="Jo")
ANSWERS = (
    "Hi! I'd love to book a tattoo",
    "a swallow with a banner",
    "right forearm",
    "10x12cm",
    "traditional",
    "skip",
    "£400-500",
    "London, UK",
    "next three weeks",
    "@jo.tattoos",
    "1",  # the read-back of the answers: send it
)
ServiceApp = Callable[..., FastAPI]


def texts(fakes: ProviderFakes, to: str) -> list[str]:
    return fakes.texts(to)


async def received(fakes: ProviderFakes, to: str, fragment: str, *, timeout: float = 30.0) -> str:
    def find() -> str | None:
        return next((body for body in texts(fakes, to) if fragment in body), None)

    found: str = await eventually(find, timeout=timeout)
    return found


async def rows(url: str, sql: str) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        result = list((await connection.execute(text(sql))).all())
    await engine.dispose()
    return result


class Conversation:
    """Start, stop and restart the conversation service on one database; post webhooks to it."""

    def __init__(self, create: Callable[[], FastAPI]) -> None:
        self._create = create
        self.client: httpx.AsyncClient | None = None
        self._stack: AsyncExitStack | None = None

    async def start(self) -> None:
        self._stack = AsyncExitStack()
        self.client = await self._stack.enter_async_context(running_service(self._create()))

    async def stop(self) -> None:
        assert self._stack is not None
        await self._stack.aclose()
        self.client = None

    async def post(self, payload: dict[str, Any]) -> None:
        assert self.client is not None
        body = encode(payload)
        response = await self.client.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign_payload(body, APP_SECRET)},
        )
        assert response.status_code == 200, response.text


async def _services(
    stack: AsyncExitStack,
    service_app: ServiceApp,
    databases: dict[str, str],
    nats_url: str,
    fakes: ProviderFakes,
) -> None:
    def create(name: str) -> FastAPI:
        return service_app(name, databases=databases, fakes=fakes, nats_url=nats_url)

    # Stripe must reach the webhook over real HTTP, so payments listens on a port of its own.
    payments_url = stack.enter_context(serve_in_background(create("payments")))
    fakes.stripe.add_webhook_endpoint(f"{payments_url}/webhooks/stripe", CREDENTIALS.stripe_webhook_secret)
    for name in ("calendar", "notifier", "campaigns"):
        await stack.enter_async_context(running_service(create(name)))


async def _consult(conversation: Conversation, fakes: ProviderFakes, client: Customer = CLIENT) -> None:
    now = int(time.time())
    for offset, answer in enumerate(ANSWERS):
        expected = len(texts(fakes, client.wa_id)) + 1
        await conversation.post(
            text_message(client, answer, message_id=f"wamid.{client.name}{offset}", timestamp=now + offset)
        )
        await _client_has(fakes, expected, client)


async def _client_has(fakes: ProviderFakes, count: int, client: Customer = CLIENT) -> None:
    await eventually(lambda: len(texts(fakes, client.wa_id)) >= count, timeout=30)


async def test_first_message_to_booked_across_all_services_survives_a_conversation_restart(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path, service_app: ServiceApp
) -> None:
    databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
    with provider_fakes(tmp_path) as fakes:
        async with AsyncExitStack() as stack:
            await _services(stack, service_app, databases, nats_url, fakes)
            conversation = Conversation(
                lambda: service_app("conversation", databases=databases, fakes=fakes, nats_url=nats_url)
            )
            await conversation.start()
            try:
                await _consult(conversation, fakes)
                summary = await received(fakes, ARTIST, "New lead: Jo")
                assert "*Idea:*" in summary, summary
                approve = fakes.action_paths(ARTIST, "New lead: Jo")[0]

                # The secretary is restarted between the summary and the artist's decision.
                await conversation.stop()
                await conversation.start()
                assert conversation.client is not None
                confirm = await conversation.client.get(approve)
                assert confirm.status_code == 200
                done = await conversation.client.post(approve)
                assert done.status_code == 200, done.text

                slots = await eventually(
                    lambda: [m for m in fakes.graph.messages(to=CLIENT.wa_id) if m.type == "interactive"],
                    timeout=30,
                )
                rows_offered = slots[0].body["action"]["sections"][0]["rows"]
                await conversation.post(
                    list_reply_message(
                        CLIENT, rows_offered[0]["id"], rows_offered[0]["title"], message_id="wamid.jo-pick"
                    )
                )
                link_text = await received(fakes, CLIENT.wa_id, "deposit here")
                assert "checkout" in link_text
                sessions = await eventually(lambda: fakes.stripe.sessions(), timeout=30)
                assert len(sessions) == 1
                fakes.stripe.pay_session(sessions[0]["id"])

                confirmation = await received(fakes, CLIENT.wa_id, "You're booked in", timeout=45)
                artist_note = await received(fakes, ARTIST, "Booked: Jo", timeout=45)
                events = await eventually(lambda: fakes.google.calendar.events(CALENDAR_ID), timeout=45)
            finally:
                if conversation.client is not None:
                    await conversation.stop()

    assert "reschedule" in confirmation
    assert "London" in artist_note
    assert len(events) == 1, "exactly one calendar event for the booking"
    assert len(sessions) == 1, "exactly one checkout session"
    leads = await rows(databases["conversation"], "SELECT status FROM leads")
    assert [row[0] for row in leads] == ["booked"]
    bookings = await rows(databases["calendar"], "SELECT state FROM reservations")
    assert [row[0] for row in bookings] == ["booked"]
    greetings = [body for body in texts(fakes, CLIENT.wa_id) if "booking assistant" in body]
    assert len(greetings) == 1, "the restart resent nothing"


# A client who adopted a WhatsApp username and never shared their number: Meta names them only by their
# business-scoped user ID, and Inkline answers them through it (the Graph fake's `recipient`).
USERNAME_CLIENT = Customer(wa_id="GB.13491208655302741918", name="Kai", username="kai.ink")
PHONE = "447700900888"


def _revealing_phone(client: Customer, phone: str, words: str, message_id: str) -> dict[str, Any]:
    """The same person's message once Meta shares their phone again: phone and BSUID side by side."""
    payload = text_message(Customer(wa_id=phone, name=client.name), words, message_id=message_id)
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["from_user_id"] = client.wa_id
    value["contacts"][0] |= {"user_id": client.wa_id}
    return payload


async def test_a_username_client_without_a_phone_books_end_to_end(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path, service_app: ServiceApp
) -> None:
    client = USERNAME_CLIENT
    databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
    with provider_fakes(tmp_path) as fakes:
        async with AsyncExitStack() as stack:
            await _services(stack, service_app, databases, nats_url, fakes)
            conversation = Conversation(
                lambda: service_app("conversation", databases=databases, fakes=fakes, nats_url=nats_url)
            )
            await conversation.start()
            try:
                await _consult(conversation, fakes, client)
                summary = await received(fakes, ARTIST, "New lead: Kai")
                assert "*Idea:*" in summary, summary
                approve = fakes.action_paths(ARTIST, "New lead: Kai")[0]
                assert conversation.client is not None
                done = await conversation.client.post(approve)
                assert done.status_code == 200, done.text

                slots = await eventually(
                    lambda: [m for m in fakes.graph.messages(to=client.wa_id) if m.type == "interactive"],
                    timeout=30,
                )
                rows_offered = slots[0].body["action"]["sections"][0]["rows"]
                await conversation.post(
                    list_reply_message(
                        client, rows_offered[0]["id"], rows_offered[0]["title"], message_id="wamid.kai-pick"
                    )
                )
                await received(fakes, client.wa_id, "deposit here")
                sessions = await eventually(lambda: fakes.stripe.sessions(), timeout=30)
                fakes.stripe.pay_session(sessions[0]["id"])

                await received(fakes, client.wa_id, "You're booked in", timeout=45)
                artist_note = await received(fakes, ARTIST, "Booked: Kai", timeout=45)
                events = await eventually(lambda: fakes.google.calendar.events(CALENDAR_ID), timeout=45)

                # Later Kai writes with their number showing too: still the same person everywhere.
                await conversation.post(_revealing_phone(client, PHONE, "see you then!", "wamid.kai-phone"))
                await eventually(
                    lambda: rows(
                        databases["conversation"],
                        "SELECT 1 FROM inbound_messages WHERE wamid = 'wamid.kai-phone' AND processed_at IS NOT NULL",
                    ),
                    timeout=30,
                )
            finally:
                if conversation.client is not None:
                    await conversation.stop()

    assert "wa.me" not in summary, "a BSUID opens no chat; the artist is told the username instead"
    assert "@kai.ink" in summary
    assert "wa.me" not in artist_note
    assert len(events) == 1
    assert all(
        "recipient" in m.payload and "to" not in m.payload for m in fakes.graph.messages(to=client.wa_id)
    )
    leads = await rows(databases["conversation"], "SELECT status, wa_id FROM leads")
    assert [tuple(row) for row in leads] == [("booked", client.wa_id)]
    people = await rows(databases["conversation"], "SELECT wa_id, phone, bsuid FROM contacts")
    assert [tuple(row) for row in people] == [(client.wa_id, PHONE, client.wa_id)]
    contacts = await rows(databases["campaigns"], "SELECT wa_id FROM contacts")
    assert [row[0] for row in contacts] == [client.wa_id]
