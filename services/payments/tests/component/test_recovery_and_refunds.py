"""A lost webhook recovered by reconciliation; refunds end to end; a paid deposit survives a NATS outage."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inkline_contracts import subjects
from inkline_contracts.base import TimeRange
from inkline_contracts.events.booking import BookingConflict
from inkline_contracts.events.deposit import RequestRefund
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.nats_server import NatsServer
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock


async def _link(nats_url: str, kit: Kit) -> dict[str, Any]:
    request = kit.deposit_request()
    async with JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links:
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
    payload: dict[str, Any] = link["payload"]
    return payload


def _session_id(link: dict[str, Any]) -> str:
    return str(link["url"]).rsplit("/", 1)[1]


async def test_a_paid_deposit_whose_webhook_was_lost_is_recovered_by_reconciliation(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_PAID.name) as paid,
    ):
        link = await _link(nats_url, kit)
        stripe_fake.state.pay_session(_session_id(link))  # its webhook is never delivered
        clock.advance(timedelta(hours=1))  # past the session's expiry: reconciliation asks Stripe
        (message,) = await paid.wait_for_count(1)

    assert message["payload"]["deposit_id"] == link["deposit_id"]
    assert (
        message["payload"]["payment_intent_id"]
        == stripe_fake.state.session(_session_id(link))["payment_intent"]
    )
    assert await kit.rows(settings.database_url, "SELECT status FROM deposits") == [("paid",)]


async def test_booking_conflict_refunds_once_and_stripes_refund_webhook_adds_nothing(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_REFUNDED.name) as refunded,
        JetStreamProbe(nats_url, subjects.SYSTEM_ALERT.name) as alerts,
    ):
        link = await _link(nats_url, kit)
        stripe_fake.state.pay_session(_session_id(link))
        (completed,) = stripe_fake.state.events("checkout.session.completed")
        assert (await kit.deliver(client, *stripe_fake.signed(completed["id"]))).status_code == 200
        conflict = BookingConflict(
            lead_id=link["lead_id"],
            hold_id=link["hold_id"],
            deposit_id=link["deposit_id"],
            range=TimeRange(start=link["expires_at"], end=link["expires_at"]),
            reason="slot taken after hold expired",
        )
        await kit.publish(nats_url, subjects.BOOKING_CONFLICT, conflict, correlation_id=link["lead_id"])
        (message,) = await refunded.wait_for_count(1)
        (charge_refunded,) = stripe_fake.state.events("charge.refunded")
        webhook = await kit.deliver(client, *stripe_fake.signed(charge_refunded["id"]))
        # The artist presses "refund" as well: nothing more to refund, and no second refund at Stripe.
        again = RequestRefund(lead_id=link["lead_id"], reason="artist refund")
        await kit.publish(nats_url, subjects.DEPOSIT_REFUND_REQUESTED, again, correlation_id=link["lead_id"])
        await eventually(lambda: kit.inbox_count(settings.database_url, "payments-refund-requested", 1))

    (refund,) = stripe_fake.state.refunds()
    assert webhook.status_code == 200
    assert message["payload"] == {
        "deposit_id": link["deposit_id"],
        "lead_id": link["lead_id"],
        "amount": {"amount_minor": 10_000, "currency": "GBP"},
        "refund_id": refund["id"],
    }
    assert refund["metadata"]["deposit_id"] == link["deposit_id"]
    assert len(await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_REFUNDED)) == 1
    assert alerts.messages == []


async def test_a_refund_made_in_stripes_dashboard_is_recorded_from_its_webhook(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_REFUNDED.name) as refunded,
    ):
        link = await _link(nats_url, kit)
        intent = stripe_fake.state.pay_session(_session_id(link))["payment_intent"]
        (completed,) = stripe_fake.state.events("checkout.session.completed")
        await kit.deliver(client, *stripe_fake.signed(completed["id"]))
        refund = stripe_fake.state.refund({"payment_intent": intent})
        (charge_refunded,) = stripe_fake.state.events("charge.refunded")
        await kit.deliver(client, *stripe_fake.signed(charge_refunded["id"]))
        (message,) = await refunded.wait_for_count(1)

    assert message["payload"]["refund_id"] == refund["id"]
    assert await kit.rows(settings.database_url, "SELECT status FROM deposits") == [("refunded",)]


async def test_a_paid_deposit_is_recorded_while_nats_is_down_and_published_when_it_is_back(
    make_settings: SettingsFactory, stripe_fake: StripeFake, kit: Kit, clock: MovableClock, tmp_path: Path
) -> None:
    nats = NatsServer(store_dir=tmp_path / "nats").start(log_file=tmp_path / "nats.log")
    settings = await make_settings(nats_url=nats.url)
    try:
        async with running_service(create_app(settings, clock=clock)) as client:
            link = await _link(nats.url, kit)
            stripe_fake.state.pay_session(_session_id(link))
            (completed,) = stripe_fake.state.events("checkout.session.completed")
            nats.stop()

            answer = await kit.deliver(client, *stripe_fake.signed(completed["id"]))
            recorded = await kit.rows(settings.database_url, "SELECT status FROM deposits")
            pending = await kit.rows(
                settings.database_url,
                "SELECT count(*) FROM outbox WHERE subject = :s AND published_at IS NULL",
                s=subjects.DEPOSIT_PAID.name,
            )

            nats.start(log_file=tmp_path / "nats.log")  # same port, same store
            message = await eventually(
                lambda: kit.last_on_stream(nats.url, subjects.DEPOSIT_PAID), timeout=30
            )
    finally:
        nats.stop()

    assert answer.status_code == 200
    assert recorded == [("paid",)]
    assert pending == [(1,)]
    assert message["payload"]["deposit_id"] == link["deposit_id"]
