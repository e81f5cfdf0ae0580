"""INKLINE_SANDBOX=1: no Stripe account; the service's own checkout page pays through its own webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory

    from inkline_platform.testing import MovableClock


async def test_the_sandbox_pay_button_sends_a_signed_webhook_that_records_the_deposit_as_paid(
    make_settings: SettingsFactory, nats_url: str, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(
        nats_url=nats_url,
        inkline_sandbox=True,
        # Stripe's own base: any other (the hub's, a fake's) selects the real adapter.
        stripe_api_base="https://api.stripe.com",
        public_base_url="http://payments.local:8002",
    )
    request = kit.deposit_request()
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
        JetStreamProbe(nats_url, subjects.DEPOSIT_PAID.name) as paid,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
        path = link["payload"]["url"].removeprefix("http://payments.local:8002")
        page = await client.get(path)
        paying = await client.post(f"{path}/pay")
        (message,) = await paid.wait_for_count(1)
        closed = await client.get(path)
        twice = await client.post(f"{path}/pay")

    assert path.startswith("/sandbox/checkout/cs_sandbox_")
    assert page.status_code == 200
    assert "Pay 100.00 GBP" in page.text
    assert (paying.status_code, closed.status_code, twice.status_code) == (303, 410, 409)
    assert paying.headers["location"] == f"/paid?session_id={path.rsplit('/', 1)[1]}"
    assert message["payload"]["deposit_id"] == str(request.deposit_id)
    assert await kit.rows(settings.database_url, "SELECT type FROM stripe_events") == [
        ("checkout.session.completed",)
    ]
