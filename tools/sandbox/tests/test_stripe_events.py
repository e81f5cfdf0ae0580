"""Stripe events: their JSON, signed background delivery with retries, manual delivery, the hosted page."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
import pytest
import stripe
from fastapi import FastAPI, Request, Response
from stripe.params.checkout import SessionCreateParams

from inkline_sandbox.server import serve_in_background
from inkline_sandbox.stripe import StripeState, create_stripe_app, sign

API_KEY = "sk_test_inkline"
SECRET = "whsec_sandbox_secret"


@dataclass
class Receiver:
    url: str = ""
    deliveries: list[tuple[bytes, str]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    app = FastAPI()
    box = Receiver()

    @app.post("/stripe")
    async def webhook(request: Request) -> Response:
        box.deliveries.append((await request.body(), request.headers.get("stripe-signature", "")))
        return Response(status_code=box.answers.pop(0) if box.answers else 200)

    with serve_in_background(app) as base_url:
        box.url = f"{base_url}/stripe"
        yield box


@pytest.fixture
def state(receiver: Receiver) -> Iterator[StripeState]:
    state = StripeState(api_key=API_KEY, retry_delays=(0.05, 0.05))
    state.add_webhook_endpoint(receiver.url, SECRET)
    yield state
    state.close()


@pytest.fixture
def base_url(state: StripeState) -> Iterator[str]:
    with serve_in_background(create_stripe_app(state, sweep_interval=0.05)) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": base_url}, max_network_retries=0)


def deposit(**extra: Any) -> SessionCreateParams:
    item = {
        "price_data": {"currency": "eur", "unit_amount": 5000, "product_data": {"name": "Deposit"}},
        "quantity": 1,
    }
    params = {"mode": "payment", "line_items": [item], "client_reference_id": "booking-42"}
    success = {"success_url": "https://inkline.test/paid?session={CHECKOUT_SESSION_ID}"}
    return cast(SessionCreateParams, params | success | extra)


def test_paying_on_the_hosted_page_emits_a_signed_completed_event_the_sdk_verifies(
    client: stripe.StripeClient, state: StripeState, receiver: Receiver, base_url: str
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())

    page = httpx.get(session.url or "")
    paid = httpx.post(f"{base_url}/checkout/{session.id}/pay")

    assert page.status_code == 200
    assert "50.00 EUR" in page.text
    assert "Deposit" in page.text
    assert "Pay" in page.text
    assert paid.status_code == 303
    assert paid.headers["location"] == f"https://inkline.test/paid?session={session.id}"
    assert state.wait_for_deliveries()
    ((body, signature),) = receiver.deliveries
    event = stripe.Webhook.construct_event(body, signature, SECRET)
    assert event.id.startswith("evt_")
    assert (event.type, event.object, event.livemode) == ("checkout.session.completed", "event", False)
    assert event.api_version == stripe.api_version
    completed = event.data.object
    assert (completed.id, completed.status, completed.payment_status) == (session.id, "complete", "paid")
    assert completed.payment_intent.startswith("pi_")
    assert completed.client_reference_id == "booking-42"


def test_an_event_carries_the_api_version_and_request_that_caused_it(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())

    client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "expire-1"})

    (event,) = state.events("checkout.session.expired")
    assert event["api_version"] == stripe.api_version
    assert event["request"]["idempotency_key"] == "expire-1"
    assert event["request"]["id"].startswith("req_")
    assert event["data"]["object"]["status"] == "expired"
    assert client.v1.events.retrieve(event["id"]).type == "checkout.session.expired"


def test_a_session_past_expires_at_expires_by_itself_and_emits_the_expired_event(
    client: stripe.StripeClient, state: StripeState, receiver: Receiver, base_url: str
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit(expires_at=int(time.time()) + 1800))

    state.advance(1801)

    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    assert state.wait_for_deliveries()
    (body, signature) = receiver.deliveries[-1]
    event = stripe.Webhook.construct_event(body, signature, SECRET)
    assert (event.type, event.data.object.id) == ("checkout.session.expired", session.id)
    assert httpx.post(f"{base_url}/checkout/{session.id}/pay").status_code == 409


def test_a_refund_emits_charge_refunded_with_the_refunded_amount(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())
    intent_id = state.pay_session(session.id)["payment_intent"]

    client.v1.refunds.create(params={"payment_intent": intent_id})

    (event,) = state.events("charge.refunded")
    charge = event["data"]["object"]
    assert (charge["object"], charge["payment_intent"], charge["amount_refunded"], charge["refunded"]) == (
        "charge", intent_id, 5000, True,
    )  # fmt: skip
    assert event["data"]["previous_attributes"] == {"amount_refunded": 0, "refunded": False}


def test_a_failing_endpoint_is_retried_in_the_background_until_it_accepts(
    client: stripe.StripeClient, state: StripeState, receiver: Receiver
) -> None:
    receiver.answers = [500, 503]
    session = client.v1.checkout.sessions.create(params=deposit())

    started = time.monotonic()
    state.pay_session(session.id)
    paid_in = time.monotonic() - started

    assert paid_in < 0.5
    assert state.wait_for_deliveries()
    assert [(d.attempt, d.status_code) for d in state.deliveries()] == [(1, 500), (2, 503), (3, 200)]
    assert len({body for body, _ in receiver.deliveries}) == 1


def test_delivery_gives_up_after_the_configured_retries(
    client: stripe.StripeClient, state: StripeState, receiver: Receiver
) -> None:
    receiver.answers = [500, 500, 500, 500]
    session = client.v1.checkout.sessions.create(params=deposit())

    state.pay_session(session.id)

    assert state.wait_for_deliveries()
    assert [d.succeeded for d in state.deliveries()] == [False, False, False]


def test_in_record_only_mode_events_are_kept_for_the_test_to_deliver_by_hand(receiver: Receiver) -> None:
    state = StripeState(api_key=API_KEY, deliver_webhooks=False)
    state.add_webhook_endpoint(receiver.url, SECRET)
    session = state.create_session(deposit(), base_url="http://sandbox")
    state.pay_session(session["id"])

    (event,) = state.events()
    payload = state.event_payload(event["id"])
    for _ in range(2):  # a duplicate delivery, as Stripe may send
        httpx.post(receiver.url, content=payload, headers={"Stripe-Signature": sign(payload, SECRET)})

    assert state.deliveries() == []
    assert event["pending_webhooks"] == 0
    assert [json.loads(body)["id"] for body, _ in receiver.deliveries] == [event["id"], event["id"]]
    verified = stripe.Webhook.construct_event(payload, receiver.deliveries[0][1], SECRET)
    assert verified.data.object.id == session["id"]


def test_a_forged_or_stale_signature_is_rejected_by_the_sdk() -> None:
    state = StripeState(api_key=API_KEY, deliver_webhooks=False)
    session = state.create_session(deposit(), base_url="http://sandbox")
    state.pay_session(session["id"])
    payload = state.event_payload(state.events()[0]["id"])

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, sign(payload, "whsec_wrong"), SECRET)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(payload, sign(payload, SECRET, int(time.time()) - 600), SECRET)
    assert sign(payload, SECRET, 1700000000) == stripe.WebhookSignature.generate_signature_header(
        payload.decode(), SECRET, 1700000000
    )


def test_endpoints_only_receive_the_event_types_they_enabled(receiver: Receiver) -> None:
    state = StripeState(api_key=API_KEY, retry_delays=())
    state.add_webhook_endpoint(receiver.url, SECRET, enabled_events=["charge.refunded"])
    session = state.create_session(deposit(), base_url="http://sandbox")
    intent_id = state.pay_session(session["id"])["payment_intent"]
    state.refund({"payment_intent": intent_id})

    assert state.wait_for_deliveries()
    assert [json.loads(body)["type"] for body, _ in receiver.deliveries] == ["charge.refunded"]
    state.close()


def test_a_delayed_payment_completes_unpaid_and_settles_with_an_async_payment_event(
    client: stripe.StripeClient, state: StripeState
) -> None:
    succeeding = client.v1.checkout.sessions.create(params=deposit())
    failing = client.v1.checkout.sessions.create(params=deposit())

    state.pay_session(succeeding.id, delayed=True)
    state.pay_session(failing.id, delayed=True)
    pending = client.v1.checkout.sessions.retrieve(succeeding.id)
    state.settle_delayed_payment(succeeding.id, succeeded=True)
    state.settle_delayed_payment(failing.id, succeeded=False)

    (succeeded,) = state.events("checkout.session.async_payment_succeeded")
    (failed,) = state.events("checkout.session.async_payment_failed")
    assert (pending.status, pending.payment_status) == ("complete", "unpaid")
    assert succeeded["data"]["object"]["payment_status"] == "paid"
    assert (failed["data"]["object"]["id"], failed["data"]["object"]["payment_status"]) == (
        failing.id,
        "unpaid",
    )
    with pytest.raises(Exception, match="no payment awaiting settlement"):
        state.settle_delayed_payment(succeeding.id, succeeded=False)
