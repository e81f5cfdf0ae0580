"""INKLINE_SANDBOX=1: no Stripe account; the real adapter pays on the sandbox's Stripe fake, whose signed
webhook the service verifies and handles as Stripe's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock

PUBLIC = "http://payments.local:8002"


async def test_the_sandbox_pay_button_sends_a_signed_webhook_that_records_the_deposit_as_paid(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    # The sandbox's credentials, and STRIPE_API_BASE at the fake, as `make up` sets them for the hub.
    settings = await make_settings(nats_url=nats_url, inkline_sandbox=True, public_base_url=PUBLIC)
    request = kit.deposit_request()
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
        JetStreamProbe(nats_url, subjects.DEPOSIT_PAID.name) as paid,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
        url = str(link["payload"]["url"])
        path = "/" + url.split("/", 3)[3]
        async with httpx.AsyncClient(base_url=stripe_fake.url) as browser:
            page = await browser.get(path)
            paying = await browser.post(f"{path}/pay")
            (event,) = stripe_fake.state.events("checkout.session.completed")
            delivered = await kit.deliver(client, *stripe_fake.signed(event["id"]))
            (message,) = await paid.wait_for_count(1)
            closed = await browser.get(path)
            twice = await browser.post(f"{path}/pay")

    assert url.startswith(f"{stripe_fake.url}/checkout/cs_test_")
    assert page.status_code == 200
    assert "Pay 100.00 GBP" in page.text
    assert (paying.status_code, closed.status_code, twice.status_code) == (303, 410, 409)
    assert paying.headers["location"] == f"{PUBLIC}/paid?session_id={path.rsplit('/', 1)[1]}"
    assert delivered.status_code == 200
    assert message["payload"]["deposit_id"] == str(request.deposit_id)
    assert await kit.rows(settings.database_url, "SELECT type FROM stripe_events") == [
        ("checkout.session.completed",)
    ]
