"""The sandbox hub over real HTTP: the page's endpoints, the mounted fakes, the callbacks to the services.

A small receiver stands in for conversation and payments: it records the webhooks the hub posts, checking
nothing, so each test checks the signatures itself the way the services do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from fastapi import FastAPI, Request
from google.auth.transport.requests import Request as GoogleRequest
from google.oauth2 import service_account

from inkline_devstack.harness import eventually
from inkline_sandbox.google.oauth import OAuthState
from inkline_sandbox.hub import Hub, HubConfig, create_hub_app, provider_environment
from inkline_sandbox.hub.keys import write_service_account
from inkline_sandbox.server import serve_in_background

# A tap makes the hub deliver a signed webhook before it answers; on a loaded 2-core box that can take
# longer than httpx's 5 s default, and the tests check what was sent, never how fast.
PAGE_TIMEOUT = 30.0
CLIENT = "447700900123"
ARTIST = "447700900000"
TOKEN = "sandbox-access-token"


@dataclass
class Receiver:
    """Records what reaches /webhooks/whatsapp and /webhooks/stripe, answering 200."""

    whatsapp: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    stripe: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> FastAPI:
        app = FastAPI()

        # The body is read before the lock is taken: a request awaiting its body while holding the (thread)
        # lock blocked the server's event loop for good once a second request (a status callback) came in.
        @app.post("/webhooks/whatsapp")
        async def whatsapp(request: Request) -> dict[str, int]:
            body = await request.body()
            with self.lock:
                self.whatsapp.append((body, dict(request.headers)))
            return {"accepted": 1}

        @app.post("/webhooks/stripe")
        async def stripe_hook(request: Request) -> dict[str, bool]:
            body = await request.body()
            with self.lock:
                self.stripe.append((body, dict(request.headers)))
            return {"received": True}

        return app

    def messages(self) -> list[dict[str, Any]]:
        with self.lock:
            bodies = [json.loads(body) for body, _ in self.whatsapp]
        return [m for b in bodies for m in b["entry"][0]["changes"][0]["value"].get("messages", [])]

    def statuses(self) -> list[dict[str, Any]]:
        with self.lock:
            bodies = [json.loads(body) for body, _ in self.whatsapp]
        return [s for b in bodies for s in b["entry"][0]["changes"][0]["value"].get("statuses", [])]


@dataclass
class RunningHub:
    hub: Hub
    url: str
    receiver: Receiver


@pytest.fixture
def running_hub(tmp_path: Path) -> Iterator[RunningHub]:
    receiver = Receiver()
    with serve_in_background(receiver.app()) as services_url:
        config = HubConfig(
            conversation_url=services_url,
            payments_url=services_url,
            data_dir=tmp_path / "hub",
            artist_number=ARTIST,
            status_interval_seconds=0.05,
        )
        hub = Hub(config)
        with serve_in_background(create_hub_app(hub)) as url:
            hub.serve_at(url)
            yield RunningHub(hub, url, receiver)


def signed_by(body: bytes, headers: dict[str, str], secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["x-hub-signature-256"], expected)


def graph_send(hub: RunningHub, payload: dict[str, Any]) -> str:
    """What the notifier's real adapter does: POST to {WHATSAPP_GRAPH_URL}/{phone_number_id}/messages."""
    base = provider_environment(hub.url, hub.hub.config)["WHATSAPP_GRAPH_URL"]
    response = httpx.post(
        f"{base}/106540352242922/messages",
        json={"messaging_product": "whatsapp", **payload},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    wamid: str = response.json()["messages"][0]["id"]
    return wamid


SLOTS = {
    "to": CLIENT,
    "type": "interactive",
    "interactive": {
        "type": "list",
        "body": {"text": "Pick a time that suits you"},
        "action": {
            "button": "See times",
            "sections": [
                {
                    "rows": [
                        {"id": "slot-1", "title": "Tue 3 Mar 11:00"},
                        {"id": "slot-2", "title": "Wed 4 Mar 14:00"},
                    ]
                }
            ],
        },
    },
}


async def test_typed_client_message_reaches_conversation_as_a_signed_text_webhook(
    running_hub: RunningHub,
) -> None:
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        sent = await page.post("/api/messages", json={"wa_id": f"+{CLIENT}", "name": "Sam", "text": "Hi!"})
        panels = (await page.get("/panels", params={"client": CLIENT})).json()

    assert sent.status_code == 202, sent.text
    body, headers = running_hub.receiver.whatsapp[0]
    assert signed_by(body, headers, "sandbox-app-secret")
    [message] = running_hub.receiver.messages()
    assert message["from"] == CLIENT
    assert message["text"] == {"body": "Hi!"}
    assert message["id"] == sent.json()["wamid"]
    assert "Hi!" in panels["chat"]
    assert 'value="447700900123">Sam' in panels["clients"]


async def test_the_page_plays_a_username_client_who_hides_their_number(running_hub: RunningHub) -> None:
    bsuid = "GB.13491208655302741918"
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        sent = await page.post(
            "/api/messages", json={"wa_id": bsuid, "name": "Kai", "username": "@kai.ink", "text": "Hi!"}
        )
        graph_send(running_hub, {"recipient": bsuid, "type": "text", "text": {"body": "Hello Kai"}})
        panels = (await page.get("/panels", params={"client": bsuid})).json()

    assert sent.status_code == 202, sent.text
    [message] = running_hub.receiver.messages()
    assert "from" not in message
    assert message["from_user_id"] == bsuid
    body, _ = running_hub.receiver.whatsapp[0]
    [contact] = json.loads(body)["entry"][0]["changes"][0]["value"]["contacts"]
    assert contact == {"profile": {"name": "Kai", "username": "kai.ink"}, "user_id": bsuid}
    assert "Hi!" in panels["chat"]
    assert "Hello Kai" in panels["chat"]


async def test_tapping_a_list_row_sends_that_rows_list_reply_in_context(running_hub: RunningHub) -> None:
    offered = graph_send(running_hub, SLOTS)
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        chat = (await page.get("/panels", params={"client": CLIENT})).json()["chat"]
        tapped = await page.post(
            "/api/replies", json={"wa_id": CLIENT, "reply_to": offered, "option_id": "slot-2"}
        )

    assert f'data-reply-to="{offered}" data-option-id="slot-2"' in chat
    assert tapped.status_code == 202, tapped.text
    [message] = running_hub.receiver.messages()
    assert message["context"]["id"] == offered
    assert message["interactive"] == {
        "type": "list_reply",
        "list_reply": {"id": "slot-2", "title": "Wed 4 Mar 14:00"},
    }


async def test_an_option_the_message_did_not_offer_is_refused_and_nothing_is_sent(
    running_hub: RunningHub,
) -> None:
    offered = graph_send(running_hub, SLOTS)
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        forged = await page.post(
            "/api/replies", json={"wa_id": CLIENT, "reply_to": offered, "option_id": "slot-99"}
        )
        elsewhere = await page.post(
            "/api/replies", json={"wa_id": "447700900999", "reply_to": offered, "option_id": "slot-1"}
        )
        bad_number = await page.post("/api/messages", json={"wa_id": "call me", "text": "hello"})

    assert forged.status_code == 422
    assert forged.json()["error"] == "That option is not on the message."
    assert elsewhere.status_code == 422
    assert bad_number.status_code == 422
    assert "7 to 15 digits" in bad_number.json()["error"]
    assert running_hub.receiver.messages() == []


async def test_a_client_message_conversation_cannot_take_is_reported_not_recorded(tmp_path: Path) -> None:
    config = HubConfig(
        conversation_url="http://127.0.0.1:9", payments_url="http://127.0.0.1:9", data_dir=tmp_path
    )
    hub = Hub(config)
    with serve_in_background(create_hub_app(hub)) as url:
        async with httpx.AsyncClient(base_url=url) as page:
            answer = await page.post("/api/messages", json={"wa_id": CLIENT, "text": "anyone there?"})

    assert answer.status_code == 502
    assert "conversation is not answering" in answer.json()["error"]
    assert hub.chat.messages(CLIENT) == []


async def test_messages_sent_through_the_hub_get_signed_sent_delivered_read_callbacks(
    running_hub: RunningHub,
) -> None:
    wamid = graph_send(running_hub, {"to": CLIENT, "type": "text", "text": {"body": "Thanks!"}})

    statuses = await eventually(
        lambda: len(running_hub.receiver.statuses()) >= 3 and running_hub.receiver.statuses()
    )

    assert [(s["id"], s["status"]) for s in statuses] == [
        (wamid, "sent"),
        (wamid, "delivered"),
        (wamid, "read"),
    ]
    assert all(
        signed_by(body, headers, "sandbox-app-secret") for body, headers in running_hub.receiver.whatsapp
    )


async def test_template_to_the_artist_shows_its_text_with_clickable_links(running_hub: RunningHub) -> None:
    summary = "New lead: Jo\nApprove: http://127.0.0.1:8001/actions/abc123"
    graph_send(
        running_hub,
        {
            "to": ARTIST,
            "type": "template",
            "template": {
                "name": "inkline_update",
                "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": summary}]}],
            },
        },
    )
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        artist = (await page.get("/panels", params={"client": CLIENT})).json()["artist"]

    assert "New lead: Jo" in artist
    assert '<a href="http://127.0.0.1:8001/actions/abc123" target="_blank"' in artist
    assert "template · inkline_update" in artist


SUMMARY_TEMPLATE = {
    "to": ARTIST,
    "type": "template",
    "template": {
        "name": "inkline_artist_lead_decision",
        "language": {"code": "en"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "New lead: Jo *Idea:* a swallow"}]},
            *(
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": f"act:token-{index}"}],
                }
                for index in range(3)
            ),
        ],
    },
}


async def test_the_artist_taps_a_summarys_quick_reply_and_conversation_gets_its_payload(
    running_hub: RunningHub,
) -> None:
    summary = graph_send(running_hub, SUMMARY_TEMPLATE)
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        artist = (await page.get("/panels", params={"client": CLIENT})).json()["artist"]
        tapped = await page.post(
            "/api/artist/replies", json={"reply_to": summary, "option_id": "act:token-0"}
        )
        panels = (await page.get("/panels", params={"client": CLIENT})).json()

    assert [title for title in ("Approve", "Decline", "Take over") if f">{title}</button>" in artist] == [
        "Approve",
        "Decline",
        "Take over",
    ], "the template's buttons are on the artist's phone"
    assert tapped.status_code == 202, tapped.text
    [message] = running_hub.receiver.messages()
    assert message["from"] == ARTIST
    assert message["type"] == "button"
    assert message["button"] == {"payload": "act:token-0", "text": "Approve"}
    assert message["context"]["id"] == summary
    assert "Approve" in panels["artist"]
    assert ARTIST not in panels["clients"]


async def test_the_artist_taps_a_reply_button_of_an_alert(running_hub: RunningHub) -> None:
    buttons = [{"type": "reply", "reply": {"id": "act:hand-back", "title": "Hand back"}}]
    alert = graph_send(
        running_hub,
        {
            "to": ARTIST,
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Jo needs you"},
                "action": {"buttons": buttons},
            },
        },
    )
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        tapped = await page.post(
            "/api/artist/replies", json={"reply_to": alert, "option_id": "act:hand-back"}
        )
        not_for_the_client = await page.post(
            "/api/replies", json={"wa_id": CLIENT, "reply_to": alert, "option_id": "act:hand-back"}
        )

    assert tapped.status_code == 202, tapped.text
    assert not_for_the_client.status_code == 422, "the client cannot tap the artist's buttons"
    [message] = running_hub.receiver.messages()
    assert message["from"] == ARTIST
    assert message["interactive"]["button_reply"] == {"id": "act:hand-back", "title": "Hand back"}


async def test_the_artist_replies_quoting_a_message_and_the_webhook_carries_its_context(
    running_hub: RunningHub,
) -> None:
    forwarded = graph_send(running_hub, {"to": ARTIST, "type": "text", "text": {"body": "*Jo:* colour?"}})
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        artist = (await page.get("/panels", params={"client": CLIENT})).json()["artist"]
        sent = await page.post(
            "/api/artist/messages", json={"text": "Sure, colour is fine", "reply_to": forwarded}
        )
        unquoted = await page.post("/api/artist/messages", json={"text": "And bring a photo"})
        panels = (await page.get("/panels", params={"client": CLIENT})).json()

    assert f'data-quote="{forwarded}"' in artist, "each message to the artist can be replied to"
    assert sent.status_code == 202
    assert unquoted.status_code == 202
    first, second = running_hub.receiver.messages()
    assert first["from"] == ARTIST
    assert first["text"] == {"body": "Sure, colour is fine"}
    assert first["context"]["id"] == forwarded
    assert "context" not in second
    assert "Sure, colour is fine" in panels["artist"], "the artist's own words show on their phone"


async def test_the_artist_sends_a_photo_quoting_a_message_and_the_webhook_carries_a_media_id_the_fake_holds(
    running_hub: RunningHub,
) -> None:
    forwarded = graph_send(
        running_hub, {"to": ARTIST, "type": "text", "text": {"body": "*Jo:* the stencil?"}}
    )
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        sent = await page.post(
            "/api/artist/messages", json={"text": "here it is", "reply_to": forwarded, "picture": True}
        )
        panels = (await page.get("/panels", params={"client": CLIENT})).json()

    assert sent.status_code == 202, sent.text
    [message] = running_hub.receiver.messages()
    assert (message["from"], message["type"], message["context"]["id"]) == (ARTIST, "image", forwarded)
    assert message["image"]["caption"] == "here it is"
    assert running_hub.hub.graph.media(message["image"]["id"]) is not None, "Meta holds what was sent"
    assert "📷 here it is" in panels["artist"]


async def test_the_key_file_signs_in_at_the_hubs_token_endpoint(running_hub: RunningHub) -> None:
    key_file = running_hub.hub.config.service_account_file
    # google-auth ships partial annotations.
    credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        str(key_file), scopes=["https://www.googleapis.com/auth/calendar"]
    )
    credentials.refresh(GoogleRequest())
    assert json.loads(key_file.read_text())["token_uri"] == f"{running_hub.url}/google/token"

    async with httpx.AsyncClient() as client:
        events = await client.get(
            f"{running_hub.url}/google/calendar/v3/calendars/primary/events",
            headers={"Authorization": f"Bearer {credentials.token}"},
        )

    assert events.status_code == 200, events.text
    assert [grant.access_token for grant in running_hub.hub.google.oauth.grants] == [credentials.token]


def test_a_key_file_the_deployment_shares_is_trusted_instead_of_a_fresh_one(tmp_path: Path) -> None:
    # Kubernetes or compose mount one key in the hub, calendar and notifier: the hub cannot write theirs.
    hub = Hub(HubConfig(conversation_url="", payments_url="", data_dir=tmp_path / "hub"))
    with serve_in_background(create_hub_app(hub)) as url:
        shared = tmp_path / "shared" / "service-account.json"
        write_service_account(shared, token_uri=f"{url}/google/token", oauth=OAuthState())
        hub.serve_at(url, trusted_key=shared)
        # google-auth ships partial annotations.
        credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(shared), scopes=["https://www.googleapis.com/auth/calendar"]
        )
        credentials.refresh(GoogleRequest())

    assert [grant.access_token for grant in hub.google.oauth.grants] == [credentials.token]
    assert not hub.config.service_account_file.exists()


async def test_paying_on_the_hubs_checkout_page_sends_payments_a_signed_completion(
    running_hub: RunningHub,
) -> None:
    client = stripe.StripeClient(
        "sk_test_sandbox",
        base_addresses={
            "api": provider_environment(running_hub.url, running_hub.hub.config)["STRIPE_API_BASE"]
        },
    )
    session = client.v1.checkout.sessions.create(
        {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": "gbp",
                        "unit_amount": 5000,
                        "product_data": {"name": "Deposit"},
                    },
                    "quantity": 1,
                }
            ],
        }
    )
    assert session.url is not None
    assert session.url.startswith(f"{running_hub.url}/stripe/checkout/")
    async with httpx.AsyncClient() as browser:
        page = await browser.get(session.url)
        action = re.search(r"action='([^']+)'", page.text)
        assert action is not None
        paid = await browser.post(f"{running_hub.url}{action.group(1)}")

    assert paid.status_code == 200, paid.text
    assert "Payment received" in paid.text
    assert running_hub.hub.stripe.wait_for_deliveries(10)
    [(body, headers)] = running_hub.receiver.stripe
    event = stripe.Webhook.construct_event(body.decode(), headers["stripe-signature"], "whsec_sandbox")
    assert event["type"] == "checkout.session.completed"
    assert event["data"]["object"]["id"] == session.id


async def test_the_page_shows_the_language_the_artists_sheet_has_for_the_conversation(
    running_hub: RunningHub,
) -> None:
    book = running_hub.hub.config.spreadsheet_id
    sheets = running_hub.hub.google.sheets
    sheets.batch_update(book, [{"addSheet": {"properties": {"title": "Leads"}}}])
    sheets.seed_values(book, "Leads", [["lead_id", "phone", "language"], ["L1", "+44 7700 900123", "pt"]])
    async with httpx.AsyncClient(base_url=running_hub.url, timeout=PAGE_TIMEOUT) as page:
        await page.post("/api/messages", json={"wa_id": f"+{CLIENT}", "name": "Sam", "text": "Olá!"})
        panels = (await page.get("/panels", params={"client": CLIENT})).json()

    assert "Inkline writes to this client in <b>pt</b>" in panels["chat"]
    assert 'value="447700900123">Sam · pt' in panels["clients"]
