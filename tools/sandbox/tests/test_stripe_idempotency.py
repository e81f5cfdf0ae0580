"""Stripe's Idempotency-Key semantics, observed through the official SDK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
import stripe
from stripe.params import RefundCreateParams
from stripe.params.checkout import SessionCreateParams

from inkline_sandbox.server import serve_in_background
from inkline_sandbox.stripe import StripeState, create_stripe_app

API_KEY = "sk_test_inkline"


@pytest.fixture
def state() -> Iterator[StripeState]:
    state = StripeState(api_key=API_KEY, deliver_webhooks=False)
    yield state
    state.close()


@pytest.fixture
def client(state: StripeState) -> Iterator[stripe.StripeClient]:
    with serve_in_background(create_stripe_app(state)) as base_url:
        yield stripe.StripeClient(API_KEY, base_addresses={"api": base_url}, max_network_retries=0)


def deposit(amount: int = 5000, **extra: Any) -> SessionCreateParams:
    item = {
        "price_data": {"currency": "eur", "unit_amount": amount, "product_data": {"name": "Deposit"}},
        "quantity": 1,
    }
    return cast(
        SessionCreateParams,
        {"mode": "payment", "line_items": [item], "metadata": {"booking_id": "b-1"}} | extra,
    )


def test_the_same_key_and_params_replay_the_first_response(
    client: stripe.StripeClient, state: StripeState
) -> None:
    first = client.v1.checkout.sessions.create(params=deposit(), options={"idempotency_key": "booking-b-1"})
    second = client.v1.checkout.sessions.create(params=deposit(), options={"idempotency_key": "booking-b-1"})

    assert second.id == first.id
    assert second.to_dict() == first.to_dict()
    assert second.last_response is not None
    assert first.last_response is not None
    assert second.last_response.headers["idempotent-replayed"] == "true"
    assert second.last_response.request_id == first.last_response.request_id
    assert len(state.sessions()) == 1


def test_the_same_key_with_different_params_is_an_idempotency_error(client: stripe.StripeClient) -> None:
    client.v1.checkout.sessions.create(params=deposit(), options={"idempotency_key": "booking-b-1"})

    with pytest.raises(stripe.IdempotencyError) as raised:
        client.v1.checkout.sessions.create(
            params=deposit(amount=6000), options={"idempotency_key": "booking-b-1"}
        )

    assert raised.value.http_status == 400
    assert raised.value.user_message == (
        "Keys for idempotent requests can only be used with the same parameters they were first used with. "
        "Try using a key other than 'booking-b-1' if you meant to execute a different request."
    )


def test_the_same_key_on_another_endpoint_is_an_idempotency_error(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit(), options={"idempotency_key": "k"})
    intent_id = state.pay_session(session.id)["payment_intent"]

    with pytest.raises(stripe.IdempotencyError):
        client.v1.refunds.create(params={"payment_intent": intent_id}, options={"idempotency_key": "k"})


def test_a_request_that_failed_validation_is_not_saved_so_the_key_can_be_reused(
    client: stripe.StripeClient, state: StripeState
) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.create(
            params=deposit(expires_at=1), options={"idempotency_key": "retry-me"}
        )

    session = client.v1.checkout.sessions.create(params=deposit(), options={"idempotency_key": "retry-me"})

    assert [s["id"] for s in state.sessions()] == [session.id]


def test_a_retried_refund_under_the_same_key_refunds_once(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())
    intent_id = state.pay_session(session.id)["payment_intent"]
    params: RefundCreateParams = {"payment_intent": intent_id, "amount": 1000}

    first = client.v1.refunds.create(params=params, options={"idempotency_key": "refund-b-1"})
    second = client.v1.refunds.create(params=params, options={"idempotency_key": "refund-b-1"})

    assert second.id == first.id
    assert len(state.refunds()) == 1
    assert len(state.events("charge.refunded")) == 1


def test_an_error_raised_while_executing_is_replayed_under_its_key(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())
    client.v1.checkout.sessions.expire(session.id)

    for _ in range(2):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "expire-twice"})
        assert raised.value.user_message is not None
        assert "can be expired" in raised.value.user_message
    assert raised.value.headers is not None
    assert raised.value.headers.get("idempotent-replayed") == "true"
