"""POST /webhooks/stripe: verified, de-duplicated by event id, never moving a deposit backwards."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import httpx

from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_payments.app import create_app
from inkline_platform.body_limit import KIB, MIB
from inkline_sandbox.stripe import sign

OTHER_EVENT = b'{"id": "evt_other", "type": "customer.created", "data": {"object": {}}}'

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock


async def _open_deposit(client: httpx.AsyncClient, nats_url: str, kit: Kit) -> dict[str, Any]:
    """A deposit whose link is out; returns the link_created payload."""
    request = kit.deposit_request()
    async with JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links:
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
    payload: dict[str, Any] = link["payload"]
    return payload


def _session_id(link: dict[str, Any]) -> str:
    return str(link["url"]).rsplit("/", 1)[1]


async def test_a_webhook_delivered_three_times_and_out_of_order_publishes_one_deposit_paid(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with running_service(create_app(settings, clock=clock)) as client:
        link = await _open_deposit(client, nats_url, kit)
        session_id = _session_id(link)
        # A bank debit: completed-but-unpaid first, the money later.
        stripe_fake.state.pay_session(session_id, delayed=True)
        stripe_fake.state.settle_delayed_payment(session_id, succeeded=True)
        (pending,) = stripe_fake.state.events("checkout.session.completed")
        (succeeded,) = stripe_fake.state.events("checkout.session.async_payment_succeeded")
        async with JetStreamProbe(nats_url, subjects.DEPOSIT_PAID.name) as paid:
            answers = [
                await kit.deliver(client, *stripe_fake.signed(event["id"]))
                for event in (succeeded, pending, succeeded, succeeded, pending)
            ]
            (message,) = await paid.wait_for_count(1)

    assert [answer.status_code for answer in answers] == [200] * 5
    assert message["payload"]["deposit_id"] == link["deposit_id"]
    assert message["payload"]["amount"] == {"amount_minor": 10_000, "currency": "GBP"}
    assert message["payload"]["checkout_session_id"] == session_id
    assert message["correlation_id"] == link["lead_id"]
    assert len(await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_PAID)) == 1
    assert await kit.rows(settings.database_url, "SELECT status FROM deposits") == [("paid",)]
    assert len(await kit.rows(settings.database_url, "SELECT event_id FROM stripe_events")) == 2


async def test_a_failed_delayed_payment_publishes_deposit_failed(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_FAILED.name) as failures,
    ):
        link = await _open_deposit(client, nats_url, kit)
        stripe_fake.state.pay_session(_session_id(link), delayed=True)
        stripe_fake.state.settle_delayed_payment(_session_id(link), succeeded=False)
        for event in stripe_fake.state.events():
            await kit.deliver(client, *stripe_fake.signed(event["id"]))
        await failures.wait_for_count(1)

    (failed,) = await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_FAILED)
    assert (failed["deposit_id"], failed["reason"]) == (link["deposit_id"], "async_payment_failed")
    assert await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_PAID) == []


async def test_forged_and_stale_signatures_are_refused_and_nothing_is_recorded(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with running_service(create_app(settings, clock=clock)) as client:
        link = await _open_deposit(client, nats_url, kit)
        stripe_fake.state.pay_session(_session_id(link))
        (event,) = stripe_fake.state.events("checkout.session.completed")
        payload, _ = stripe_fake.signed(event["id"])
        answers = [
            await kit.deliver(client, payload, sign(payload, "whsec_not_ours")),
            await kit.deliver(client, payload, sign(payload, "whsec_payments_test", int(time.time()) - 301)),
            await kit.deliver(
                client, payload.replace(b"paid", b"PAID"), sign(payload, "whsec_payments_test")
            ),
            await client.post("/webhooks/stripe", content=payload),
        ]

    assert [answer.status_code for answer in answers] == [400] * 4
    assert await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_PAID) == []
    assert await kit.rows(settings.database_url, "SELECT event_id FROM stripe_events") == []
    assert await kit.rows(settings.database_url, "SELECT status FROM deposits") == [("open",)]


async def test_an_event_for_an_unknown_session_is_acknowledged_and_raises_an_alert(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    foreign = stripe_fake.state.create_session(
        {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {"currency": "gbp", "unit_amount": 900, "product_data": {"name": "Print"}},
                    "quantity": 1,
                }
            ],
        },
        base_url=stripe_fake.url,
    )
    stripe_fake.state.pay_session(foreign["id"])
    (event,) = stripe_fake.state.events("checkout.session.completed")
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.SYSTEM_ALERT.name) as alerts,
    ):
        first = await kit.deliver(client, *stripe_fake.signed(event["id"]))
        again = await kit.deliver(client, *stripe_fake.signed(event["id"]))
        ignored = await kit.deliver(client, OTHER_EVENT, sign(OTHER_EVENT, "whsec_payments_test"))
        await alerts.wait_for_count(1)

    assert (first.status_code, again.status_code, ignored.status_code) == (200, 200, 200)
    (alert,) = await kit.outbox_payloads(settings.database_url, subjects.SYSTEM_ALERT)
    assert alert["kind"] == "stripe_event_for_unknown_deposit"
    assert alert["details"]["object_id"] == foreign["id"]


async def test_a_body_over_256_kib_is_refused_with_413_before_it_is_read(
    make_settings: SettingsFactory, nats_url: str
) -> None:
    pulled = [0]

    async def endless() -> AsyncIterator[bytes]:
        while pulled[0] < 200 * MIB:
            pulled[0] += 64 * KIB
            yield b"x" * (64 * KIB)

    transport = httpx.ASGITransport(app=create_app(await make_settings(nats_url=nats_url)))
    async with httpx.AsyncClient(transport=transport, base_url="http://payments") as client:
        declared = await client.post("/webhooks/stripe", content=b"x" * (256 * KIB + 1))
        chunked = await client.post("/webhooks/stripe", content=endless())

    assert (declared.status_code, chunked.status_code) == (413, 413)
    assert pulled[0] <= 256 * KIB + 64 * KIB
