"""Meta webhook payload builders, the X-Hub-Signature-256 scheme, and signed status delivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.webhooks import (
    BusinessNumber,
    Customer,
    button_reply_message,
    contacts_message,
    deliver_statuses,
    document_message,
    encode,
    image_message,
    list_reply_message,
    location_message,
    reaction_message,
    sign_payload,
    status_update,
    sticker_message,
    text_message,
    unsupported_message,
)
from inkline_sandbox.server import serve_in_background

APP_SECRET = "app-secret"
ANA = Customer(wa_id="34600111222", name="Ana")


@dataclass
class Receiver:
    url: str
    deliveries: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for body, _ in self.deliveries]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    app = FastAPI()
    box = Receiver(url="")

    @app.post("/webhook")
    async def webhook(request: Request) -> Response:
        box.deliveries.append((await request.body(), dict(request.headers)))
        return Response(status_code=box.answers.pop(0) if box.answers else 200)

    with serve_in_background(app) as base_url:
        box.url = f"{base_url}/webhook"
        yield box


def value_of(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["object"] == "whatsapp_business_account"
    (entry,) = payload["entry"]
    (change,) = entry["changes"]
    assert change["field"] == "messages"
    value: dict[str, Any] = change["value"]
    assert value["messaging_product"] == "whatsapp"
    return value


def test_a_text_webhook_has_metas_envelope_contact_and_message() -> None:
    business = BusinessNumber(phone_number_id="111", display_phone_number="15550009999", waba_id="222")

    payload = text_message(
        ANA, "Can I book a half sleeve?", business=business, message_id="wamid.IN1", timestamp=1700000000
    )

    assert payload["entry"][0]["id"] == "222"
    value = value_of(payload)
    assert value["metadata"] == {"display_phone_number": "15550009999", "phone_number_id": "111"}
    assert value["contacts"] == [{"profile": {"name": "Ana"}, "wa_id": "34600111222"}]
    assert value["messages"] == [
        {"from": "34600111222", "id": "wamid.IN1", "timestamp": "1700000000", "type": "text",
         "text": {"body": "Can I book a half sleeve?"}}
    ]  # fmt: skip


def test_button_and_list_replies_carry_the_choice_and_the_context_of_the_asking_message() -> None:
    button = value_of(button_reply_message(ANA, "confirm", "Yes", reply_to="wamid.OUT1"))["messages"][0]
    row = value_of(list_reply_message(ANA, "slot-3", "Tue 10:00", description="2h", reply_to="wamid.OUT2"))[
        "messages"
    ][0]

    assert button["type"] == "interactive"
    assert button["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "confirm", "title": "Yes"},
    }
    assert button["context"] == {"from": "15550001234", "id": "wamid.OUT1"}
    assert row["interactive"] == {
        "type": "list_reply",
        "list_reply": {"id": "slot-3", "title": "Tue 10:00", "description": "2h"},
    }
    assert row["context"]["id"] == "wamid.OUT2"


def test_media_webhooks_reference_the_media_id_with_a_base64_sha256() -> None:
    content = b"reference photo bytes"
    image = value_of(image_message(ANA, "777", content=content, caption="like this, forearm"))["messages"][0]
    document = value_of(document_message(ANA, "888", filename="design.pdf"))["messages"][0]

    expected_hash = base64.b64encode(hashlib.sha256(content).digest()).decode()
    assert image["image"] == {
        "caption": "like this, forearm", "mime_type": "image/jpeg", "sha256": expected_hash, "id": "777",
    }  # fmt: skip
    assert document["type"] == "document"
    assert (document["document"]["filename"], document["document"]["mime_type"]) == (
        "design.pdf",
        "application/pdf",
    )


def test_an_unsupported_message_carries_error_131051_and_the_original_type() -> None:
    message = value_of(unsupported_message(ANA, unsupported_type="poll_creation"))["messages"][0]

    assert message["type"] == "unsupported"
    assert message["errors"][0]["code"] == 131051
    assert message["unsupported"] == {"type": "poll_creation"}


def test_reactions_locations_stickers_and_contacts_have_metas_shapes() -> None:
    reaction = value_of(reaction_message(ANA, "👍", reacted_to="wamid.OUT1"))["messages"][0]
    pin = value_of(
        location_message(ANA, latitude=51.5, longitude=-0.1, name="Tate Modern", address="Bankside")
    )
    sticker = value_of(sticker_message(ANA, "999"))["messages"][0]
    card = value_of(contacts_message(ANA, name="Jo Bloggs", phone="+44 7700 900111"))["messages"][0]

    assert (reaction["type"], reaction["reaction"]) == (
        "reaction",
        {"message_id": "wamid.OUT1", "emoji": "👍"},
    )
    assert pin["messages"][0]["location"] == {
        "latitude": 51.5, "longitude": -0.1, "name": "Tate Modern", "address": "Bankside",
    }  # fmt: skip
    assert pin["contacts"][0]["wa_id"] == ANA.wa_id
    assert (sticker["type"], sticker["sticker"]["mime_type"], sticker["sticker"]["id"]) == (
        "sticker",
        "image/webp",
        "999",
    )
    assert card["contacts"][0]["name"]["formatted_name"] == "Jo Bloggs"
    assert card["contacts"][0]["phones"] == [{"phone": "+44 7700 900111", "type": "CELL"}]


def test_a_username_customer_writes_without_a_phone_and_is_reported_by_user_id() -> None:
    kai = Customer(wa_id="GB.13491208655302741918", name="Kai", username="kai.ink")

    value = value_of(text_message(kai, "hello"))
    status = value_of(status_update("wamid.X", "delivered", recipient_id=kai.wa_id))["statuses"][0]

    assert "from" not in value["messages"][0]
    assert value["messages"][0]["from_user_id"] == kai.wa_id
    assert value["contacts"] == [{"profile": {"name": "Kai", "username": "kai.ink"}, "user_id": kai.wa_id}]
    assert status["recipient_user_id"] == kai.wa_id
    assert "recipient_id" not in status


def test_a_failed_status_carries_the_error_and_no_pricing() -> None:
    value = value_of(status_update("wamid.X", "failed", recipient_id="34600111222", error_code=131047))
    (status,) = value["statuses"]

    assert (status["id"], status["status"], status["recipient_id"]) == ("wamid.X", "failed", "34600111222")
    assert status["errors"][0]["code"] == 131047
    assert status["errors"][0]["title"] == "Re-engagement message"
    assert "pricing" not in status


def test_sign_payload_is_hmac_sha256_of_the_raw_body_with_the_app_secret() -> None:
    body = encode(text_message(ANA, "Olá, é possível?"))

    expected = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert sign_payload(body, APP_SECRET) == expected
    assert b"\\u00e9" in body


async def send_one(state: GraphState, *, version: str = "", **extra: str) -> None:
    payload = {"messaging_product": "whatsapp", "to": "34600111222", "type": "text", "text": {"body": "Hi"}}
    payload |= extra
    with serve_in_background(create_graph_app(state)) as base_url:
        async with httpx.AsyncClient(headers={"Authorization": "Bearer t"}) as client:
            response = await client.post(f"{base_url}{version}/106540352242922/messages", json=payload)
    assert response.status_code == 200


async def test_deliver_statuses_posts_signed_sent_delivered_read_once_per_message(receiver: Receiver) -> None:
    state = GraphState(access_token="t")
    await send_one(state, version="/v21.0")
    wamid = state.last_message().wamid

    first = await deliver_statuses(state, receiver.url, app_secret=APP_SECRET)
    again = await deliver_statuses(state, receiver.url, app_secret=APP_SECRET)

    assert [(d.status, d.http_status) for d in first] == [("sent", 200), ("delivered", 200), ("read", 200)]
    assert again == []
    for body, headers in receiver.deliveries:
        assert headers["x-hub-signature-256"] == sign_payload(body, APP_SECRET)
    statuses = [value_of(p)["statuses"][0] for p in receiver.payloads()]
    assert [(s["id"], s["status"]) for s in statuses] == [
        (wamid, "sent"),
        (wamid, "delivered"),
        (wamid, "read"),
    ]
    assert value_of(receiver.payloads()[0])["metadata"]["phone_number_id"] == "106540352242922"


async def test_a_sends_callback_data_comes_back_in_each_of_its_statuses(receiver: Receiver) -> None:
    state = GraphState(access_token="t")
    await send_one(state, biz_opaque_callback_data="notification-7:1")
    await send_one(state)

    await deliver_statuses(state, receiver.url, app_secret=APP_SECRET, statuses=("sent", "delivered"))

    statuses = [value_of(p)["statuses"][0] for p in receiver.payloads()]
    tagged, untagged = state.messages()
    assert [(s["id"], s.get("biz_opaque_callback_data")) for s in statuses] == [
        (tagged.wamid, "notification-7:1"),
        (tagged.wamid, "notification-7:1"),
        (untagged.wamid, None),
        (untagged.wamid, None),
    ]


async def test_a_webhook_scripted_failure_is_delivered_as_a_failed_status(receiver: Receiver) -> None:
    state = GraphState(access_token="t")
    state.fail_next(131026, delivery="webhook")
    await send_one(state)

    delivered = await deliver_statuses(state, receiver.url, app_secret=APP_SECRET)

    assert [d.status for d in delivered] == ["failed"]
    (status,) = value_of(receiver.payloads()[0])["statuses"]
    assert status["errors"][0]["code"] == 131026


async def test_a_rejected_status_delivery_is_retried_on_the_next_call_in_order(receiver: Receiver) -> None:
    state = GraphState(access_token="t")
    await send_one(state)
    receiver.answers = [200, 500]

    first = await deliver_statuses(state, receiver.url, app_secret=APP_SECRET)
    second = await deliver_statuses(state, receiver.url, app_secret=APP_SECRET)

    assert [(d.status, d.http_status) for d in first] == [("sent", 200), ("delivered", 500)]
    assert [(d.status, d.http_status) for d in second] == [("delivered", 200), ("read", 200)]
    assert state.delivered_statuses(state.last_message().wamid) == ["sent", "delivered", "read"]
