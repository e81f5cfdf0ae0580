"""Checkout Sessions and Refunds through the official `stripe` SDK pointed at the fake."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
import stripe
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
def base_url(state: StripeState) -> Iterator[str]:
    with serve_in_background(create_stripe_app(state)) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": base_url}, max_network_retries=0)


def deposit(**extra: Any) -> SessionCreateParams:
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 5000,
                    "product_data": {"name": "Tattoo deposit", "description": "Forearm rose, 3h"},
                },
                "quantity": 1,
            }
        ],
        "client_reference_id": "booking-42",
        "metadata": {"booking_id": "booking-42", "artist_id": "artist-7"},
        "success_url": "https://inkline.test/paid?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://inkline.test/cancelled",
    }
    return cast(SessionCreateParams, params | extra)


def test_creating_a_session_returns_an_open_unpaid_checkout_session_with_a_hosted_url(
    client: stripe.StripeClient, base_url: str
) -> None:
    expires_at = int(time.time()) + 3600

    session = client.v1.checkout.sessions.create(params=deposit(expires_at=expires_at))

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert (session.amount_total, session.currency) == (5000, "eur")
    assert session.client_reference_id == "booking-42"
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"booking_id": "booking-42", "artist_id": "artist-7"}
    assert session.payment_intent is None
    assert session.expires_at == expires_at
    assert session.livemode is False
    assert session.url == f"{base_url}/checkout/{session.id}"


def test_a_session_without_expires_at_expires_after_24_hours(client: stripe.StripeClient) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())

    assert session.expires_at - session.created == 24 * 3600


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (29 * 60, "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation."),
        (
            24 * 3600 + 60,
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        ),
    ],
)
def test_expires_at_outside_30_minutes_to_24_hours_is_refused_with_stripes_error(
    client: stripe.StripeClient, state: StripeState, offset: int, message: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.create(params=deposit(expires_at=int(time.time()) + offset))

    assert raised.value.http_status == 400
    assert raised.value.param == "expires_at"
    assert raised.value.user_message == message
    assert state.sessions() == []


def test_unknown_and_missing_parameters_are_refused_like_stripe_does(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.checkout.sessions.create(params=deposit(booking="x"))
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.checkout.sessions.create(params={"mode": "payment"})

    assert (unknown.value.code, unknown.value.param) == ("parameter_unknown", "booking")
    assert (missing.value.code, missing.value.user_message) == (
        "parameter_missing",
        "Missing required param: line_items.",
    )


def test_checkout_speaks_a_locale_stripe_knows_and_refuses_one_it_does_not(
    client: stripe.StripeClient,
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit(locale="pt-BR"))
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.checkout.sessions.create(params=deposit(locale="pt-PT"))

    assert session.locale == "pt-BR"
    assert (unknown.value.http_status, unknown.value.param) == (400, "locale")


def test_a_wrong_api_key_is_an_authentication_error(base_url: str) -> None:
    client = stripe.StripeClient(
        "sk_test_wrong_key_1234", base_addresses={"api": base_url}, max_network_retries=0
    )

    with pytest.raises(stripe.AuthenticationError) as raised:
        client.v1.checkout.sessions.create(params=deposit())

    assert raised.value.http_status == 401
    assert raised.value.user_message is not None
    assert raised.value.user_message.startswith("Invalid API Key provided: sk_test_")


def test_a_session_retrieved_after_payment_is_complete_paid_with_a_payment_intent(
    client: stripe.StripeClient, state: StripeState
) -> None:
    created = client.v1.checkout.sessions.create(params=deposit())
    state.pay_session(created.id)

    session = client.v1.checkout.sessions.retrieve(created.id, params={"expand": ["payment_intent"]})

    assert (session.status, session.payment_status, session.url) == ("complete", "paid", None)
    intent = session.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert intent.id.startswith("pi_")
    assert (intent.amount, intent.status) == (5000, "succeeded")


def test_retrieving_an_unknown_session_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.retrieve("cs_test_nope")

    assert (raised.value.http_status, raised.value.code) == (404, "resource_missing")
    assert raised.value.user_message == "No such checkout.session: 'cs_test_nope'"


def test_expiring_an_open_session_works_once_and_then_is_refused(client: stripe.StripeClient) -> None:
    created = client.v1.checkout.sessions.create(params=deposit())

    expired = client.v1.checkout.sessions.expire(created.id)
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.checkout.sessions.expire(created.id)

    assert (expired.status, expired.url) == ("expired", None)
    assert again.value.user_message == (
        'Only Checkout Sessions with a status in ["open"] can be expired. '
        "This Checkout Session has a status of `expired`."
    )


def test_sessions_can_be_listed_and_filtered_by_payment_intent(
    client: stripe.StripeClient, state: StripeState
) -> None:
    first = client.v1.checkout.sessions.create(params=deposit())
    second = client.v1.checkout.sessions.create(params=deposit())
    intent_id = state.pay_session(second.id)["payment_intent"]

    everything = client.v1.checkout.sessions.list()
    filtered = client.v1.checkout.sessions.list(params={"payment_intent": intent_id})
    paged = client.v1.checkout.sessions.list(params={"limit": 1})

    assert [s.id for s in everything.data] == [second.id, first.id]
    assert [s.id for s in filtered.data] == [second.id]
    assert ([s.id for s in paged.data], paged.has_more) == ([second.id], True)
    assert [s.id for s in paged.auto_paging_iter()] == [second.id, first.id]


def test_refunding_a_payment_intent_returns_a_refund_that_can_be_retrieved(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())
    intent_id = state.pay_session(session.id)["payment_intent"]

    refund = client.v1.refunds.create(params={"payment_intent": intent_id, "reason": "requested_by_customer"})
    again = client.v1.refunds.retrieve(refund.id)

    assert refund.id.startswith("re_")
    assert (refund.object, refund.amount, refund.status, refund.payment_intent) == (
        "refund",
        5000,
        "succeeded",
        intent_id,
    )
    assert (again.id, again.reason) == (refund.id, "requested_by_customer")


def test_refunding_more_than_what_is_left_is_refused(client: stripe.StripeClient, state: StripeState) -> None:
    session = client.v1.checkout.sessions.create(params=deposit())
    intent_id = state.pay_session(session.id)["payment_intent"]
    client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 2000})

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 3001})
    client.v1.refunds.create(params={"payment_intent": intent_id})
    with pytest.raises(stripe.InvalidRequestError) as done:
        client.v1.refunds.create(params={"payment_intent": intent_id})

    assert too_much.value.code == "amount_too_large"
    assert done.value.code == "charge_already_refunded"
    assert [r["amount"] for r in state.refunds()] == [2000, 3000]


def test_refunding_an_unknown_payment_intent_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"payment_intent": "pi_missing"})

    assert (raised.value.http_status, raised.value.param) == (404, "payment_intent")


def test_the_module_level_api_base_also_reaches_the_fake(
    base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stripe, "api_key", API_KEY)
    monkeypatch.setattr(stripe, "api_base", base_url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)

    session = stripe.checkout.Session.create(**deposit())

    assert stripe.checkout.Session.retrieve(session.id).status == "open"


def test_the_sdk_sends_form_encoded_nested_params_that_arrive_intact(
    client: stripe.StripeClient, state: StripeState
) -> None:
    session = client.v1.checkout.sessions.create(
        params=deposit(
            payment_intent_data={"metadata": {"booking_id": "booking-42"}}, customer_email="ana@example.com"
        )
    )

    (item,) = state.line_items(session.id)
    assert (item.name, item.description, item.unit_amount, item.quantity) == (
        "Tattoo deposit", "Forearm rose, 3h", 5000, 1,
    )  # fmt: skip
    intent_id = state.pay_session(session.id)["payment_intent"]
    intent = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent"]}
    ).payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert (intent.id, intent.metadata.to_dict()) == (intent_id, {"booking_id": "booking-42"})


def test_a_json_body_is_refused_because_stripe_v1_takes_form_encoding(base_url: str) -> None:
    response = httpx.post(
        f"{base_url}/v1/checkout/sessions", json=deposit(), headers={"Authorization": f"Bearer {API_KEY}"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_refunds_are_listed_newest_first_and_filtered_by_payment_intent(
    client: stripe.StripeClient, state: StripeState
) -> None:
    first = client.v1.checkout.sessions.create(params=deposit())
    second = client.v1.checkout.sessions.create(params=deposit())
    first_intent = state.pay_session(first.id)["payment_intent"]
    second_intent = state.pay_session(second.id)["payment_intent"]
    partial = client.v1.refunds.create(params={"payment_intent": first_intent, "amount": 1000})
    rest = client.v1.refunds.create(params={"payment_intent": first_intent})
    client.v1.refunds.create(params={"payment_intent": second_intent})

    listed = client.v1.refunds.list(params={"payment_intent": first_intent})
    newest = client.v1.refunds.list(params={"payment_intent": first_intent, "limit": 1})

    assert [r.id for r in listed.data] == [rest.id, partial.id]
    assert ([r.id for r in newest.data], newest.has_more) == ([rest.id], True)
