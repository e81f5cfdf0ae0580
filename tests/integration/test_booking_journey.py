"""The whole booking journey across all five services, with every provider a local fake over real HTTP.

A client writes on WhatsApp (signed webhooks into conversation), answers the consultation, the artist
approves from the link in their summary, the client taps a slot, pays on the fake Stripe checkout, and
ends up booked with one event in the fake Google Calendar and a confirmation on both phones. The
conversation service is restarted in the middle; nothing in the outcome may change.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_calendar.app import create_app as create_calendar
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_notifier.app import create_app as create_notifier
from inkline_notifier.settings import NotifierSettings
from inkline_payments.app import create_app as create_payments
from inkline_payments.settings import PaymentsSettings
from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.state import SentMessage
from inkline_sandbox.graph.webhooks import Customer, encode, list_reply_message, sign_payload, text_message
from inkline_sandbox.server import serve_in_background
from inkline_sandbox.stripe import StripeState, create_stripe_app

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
APP_SECRET = "journey-app-secret"
GRAPH_TOKEN = "journey-graph-token"
STRIPE_KEY = "sk_test_journey"
STRIPE_WEBHOOK_SECRET = "whsec_journey"
ARTIST = "447700900000"
CALENDAR_ID = "artist@example.com"
KEY_ID = "journey-key"
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
)


@dataclass
class Fakes:
    graph: GraphState
    stripe: StripeState
    google: GoogleSandbox
    graph_url: str
    stripe_url: str
    google_url: str
    service_account: Path


@contextmanager
def provider_fakes(tmp_path: Path) -> Iterator[Fakes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    google = GoogleSandbox()
    numbers = key.public_key().public_numbers()
    google.oauth.register_public_key(KEY_ID, modulus=numbers.n, exponent=numbers.e)
    graph = GraphState(access_token=GRAPH_TOKEN)
    stripe = StripeState(api_key=STRIPE_KEY)
    with (
        serve_in_background(create_graph_app(graph)) as graph_url,
        serve_in_background(create_stripe_app(stripe)) as stripe_url,
        serve_in_background(google.app()) as google_url,
    ):
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        account = tmp_path / "service-account.json"
        account.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "inkline-journey",
                    "private_key_id": KEY_ID,
                    "private_key": pem,
                    "client_email": "inkline@inkline-journey.iam.gserviceaccount.com",
                    "client_id": "100000000000000000003",
                    "token_uri": f"{google_url}/token",
                }
            )
        )
        try:
            yield Fakes(graph, stripe, google, f"{graph_url}/v21.0", stripe_url, google_url, account)
        finally:
            stripe.close()


def text_of(message: SentMessage) -> str:
    """What the person read: the body, or the template parameter a fallback carried."""
    if message.type == "template":
        components = message.body.get("components", [])
        return " ".join(
            parameter.get("text", "")
            for component in components
            for parameter in component.get("parameters", [])
        )
    return message.text or ""


def texts(fakes: Fakes, to: str) -> list[str]:
    return [text_of(message) for message in fakes.graph.messages(to=to)]


async def received(fakes: Fakes, to: str, fragment: str, *, timeout: float = 30.0) -> str:
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

    def __init__(self, settings: ConversationSettings) -> None:
        self.settings = settings
        self.client: httpx.AsyncClient | None = None
        self._stack: AsyncExitStack | None = None

    async def start(self) -> None:
        self._stack = AsyncExitStack()
        self.client = await self._stack.enter_async_context(
            running_service(create_conversation(self.settings))
        )

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
    stack: AsyncExitStack, databases: dict[str, str], nats_url: str, fakes: Fakes, tmp_path: Path
) -> None:
    common: dict[str, Any] = {"nats_url": nats_url, "inkline_sandbox": False, "log_json": False}
    payments = create_payments(
        PaymentsSettings(
            database_url=databases["payments"],
            stripe_api_key=STRIPE_KEY,
            stripe_webhook_secret=STRIPE_WEBHOOK_SECRET,
            stripe_api_base=fakes.stripe_url,
            **common,
        )
    )
    # Stripe must reach the webhook over real HTTP, so payments listens on a port of its own.
    payments_url = stack.enter_context(serve_in_background(payments))
    fakes.stripe.add_webhook_endpoint(f"{payments_url}/webhooks/stripe", STRIPE_WEBHOOK_SECRET)
    calendar = create_calendar(
        CalendarSettings(
            database_url=databases["calendar"],
            google_service_account_file=str(fakes.service_account),
            google_api_endpoint=fakes.google_url,
            google_calendar_id=CALENDAR_ID,
            calendar_admin_token="journey-admin-token",
            calendar_sync_seconds=0.2,
            **common,
        )
    )
    notifier = create_notifier(
        NotifierSettings(
            database_url=databases["notifier"],
            whatsapp_graph_url=fakes.graph_url,
            whatsapp_access_token=GRAPH_TOKEN,
            artist_whatsapp_number=ARTIST,
            # The artist has not written to the business number, so their messages go as a template.
            whatsapp_default_fallback_template={"name": "inkline_update", "language": "en"},
            **common,
        )
    )
    campaigns = create_campaigns(
        CampaignsSettings(
            database_url=databases["campaigns"], campaigns_admin_token="journey-campaigns-token", **common
        )
    )
    for app in (calendar, notifier, campaigns):
        await stack.enter_async_context(running_service(app))


async def _consult(conversation: Conversation, fakes: Fakes) -> None:
    now = int(time.time())
    for offset, answer in enumerate(ANSWERS):
        expected = len(texts(fakes, CLIENT.wa_id)) + 1
        await conversation.post(
            text_message(CLIENT, answer, message_id=f"wamid.jo{offset}", timestamp=now + offset)
        )
        await _client_has(fakes, expected)


async def _client_has(fakes: Fakes, count: int) -> None:
    await eventually(lambda: len(texts(fakes, CLIENT.wa_id)) >= count, timeout=30)


async def test_first_message_to_booked_across_all_services_survives_a_conversation_restart(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
    with provider_fakes(tmp_path) as fakes:
        async with AsyncExitStack() as stack:
            await _services(stack, databases, nats_url, fakes, tmp_path)
            conversation = Conversation(
                ConversationSettings(
                    database_url=databases["conversation"],
                    nats_url=nats_url,
                    inkline_sandbox=False,
                    log_json=False,
                    whatsapp_app_secret=APP_SECRET,
                    whatsapp_verify_token="journey-verify",
                    whatsapp_access_token=GRAPH_TOKEN,
                    whatsapp_graph_url=fakes.graph_url,
                    media_link_secret="journey-media-secret",
                    artist_whatsapp_number=ARTIST,
                    public_base_url="http://conversation",
                )
            )
            await conversation.start()
            try:
                await _consult(conversation, fakes)
                summary = await received(fakes, ARTIST, "New lead: Jo")
                approve = re.search(r"Approve: http://conversation(/actions/\S+)", summary)
                assert approve is not None, summary

                # The secretary is restarted between the summary and the artist's decision.
                await conversation.stop()
                await conversation.start()
                assert conversation.client is not None
                confirm = await conversation.client.get(approve.group(1))
                assert confirm.status_code == 200
                done = await conversation.client.post(approve.group(1))
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
