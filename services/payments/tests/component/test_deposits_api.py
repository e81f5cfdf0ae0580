"""`/api/deposits`: the studio reads a lead's deposits and refunds a paid one, once, behind the admin token."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock

ADMIN = {"Authorization": "Bearer payments-tests-admin-token-000000000"}


async def _link(nats_url: str, kit: Kit) -> dict[str, Any]:
    request = kit.deposit_request()
    async with JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links:
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
    payload: dict[str, Any] = link["payload"]
    return payload


async def test_a_paid_deposit_is_refunded_once_however_often_the_artist_presses_refund(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_REFUNDED.name) as refunded,
    ):
        link = await _link(nats_url, kit)
        session_id = str(link["url"]).rsplit("/", 1)[1]
        stripe_fake.state.pay_session(session_id)
        (completed,) = stripe_fake.state.events("checkout.session.completed")
        assert (await kit.deliver(client, *stripe_fake.signed(completed["id"]))).status_code == 200
        listed = await client.get("/api/deposits", params={"lead_id": link["lead_id"]}, headers=ADMIN)
        url = f"/api/deposits/{link['deposit_id']}/refund"
        # A double click: two refunds at once, and one more later.
        first, second = await asyncio.gather(client.post(url, headers=ADMIN), client.post(url, headers=ADMIN))
        third = await client.post(url, headers=ADMIN)
        (message,) = await refunded.wait_for_count(1)
        after = await client.get("/api/deposits", params={"lead_id": link["lead_id"]}, headers=ADMIN)

    [before] = listed.json()
    assert before["status"] == "paid"
    assert before["refundable"] is True
    assert (before["amount_minor"], before["currency"]) == (10_000, "GBP")
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    assert third.status_code == 409
    assert third.json()["detail"] == "This deposit was refunded already."
    assert len(stripe_fake.state.refunds()) == 1
    assert message["payload"]["deposit_id"] == link["deposit_id"]
    [refunded_row] = after.json()
    assert (refunded_row["status"], refunded_row["refundable"]) == ("refunded", False)


async def test_an_unpaid_deposit_is_not_refunded_and_the_api_needs_the_token(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with running_service(create_app(settings, clock=clock)) as client:
        link = await _link(nats_url, kit)
        url = f"/api/deposits/{link['deposit_id']}/refund"
        anonymous = await client.post(url)
        wrong = await client.post(url, headers={"Authorization": "Bearer not-the-token"})
        unpaid = await client.post(url, headers=ADMIN)
        missing = await client.post(
            "/api/deposits/00000000-0000-0000-0000-000000000000/refund", headers=ADMIN
        )
        listed = await client.get("/api/deposits", params={"lead_id": link["lead_id"]}, headers=ADMIN)

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert unpaid.status_code == 409
    assert unpaid.json()["detail"] == "This deposit is not paid yet, so there is nothing to refund."
    assert missing.status_code == 404
    assert stripe_fake.state.refunds() == []
    assert [row["refundable"] for row in listed.json()] == [False]
