"""After paying, Checkout returns the client to our paid page: what was booked, and the way back to the chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from inkline_contracts import subjects
from inkline_contracts.base import TimeRange
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock

PUBLIC = "https://pay.inkline.test"
# Thursday 10 December, 14:00 in London (GMT) is 14:00 UTC.
SESSION = TimeRange(start=datetime(2026, 12, 10, 14, tzinfo=UTC), end=datetime(2026, 12, 10, 18, tzinfo=UTC))


async def test_after_paying_the_client_reads_what_was_booked_and_can_go_back_to_the_chat(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(
        nats_url=nats_url, public_base_url=PUBLIC, whatsapp_display_phone_number="+44 7700 900111"
    )
    request = kit.deposit_request(
        slot=SESSION, timezone="Europe/London", description="Thu 10 Dec, 14:00-18:00 with Rowan"
    )
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
        session_id = str(link["payload"]["url"]).rsplit("/", 1)[1]
        # The client presses Pay on the hosted page; Checkout sends the browser to the success URL.
        async with httpx.AsyncClient(base_url=stripe_fake.url) as browser:
            paid = await browser.post(f"/checkout/{session_id}/pay")
        landing = paid.headers["location"]
        page = await client.get(landing.removeprefix(PUBLIC))
        unknown = await client.get("/paid?session_id=cs_test_not_ours")
        odd = await client.get("/paid?session_id=%00%3Cscript%3E")

    (item,) = stripe_fake.state.line_items(session_id)
    assert (item.name, item.description) == ("Tattoo deposit", "Thu 10 Dec, 14:00-18:00 with Rowan")
    assert paid.status_code == 303
    assert landing == f"{PUBLIC}/paid?session_id={session_id}"
    assert page.status_code == 200
    assert "Deposit received" in page.text
    assert "We have your deposit for your session on Thu 10 Dec at 14:00." in page.text
    assert "href='https://wa.me/447700900111'" in page.text
    assert "Back to WhatsApp" in page.text
    assert (unknown.status_code, odd.status_code) == (404, 404)
    assert "<script>" not in odd.text


async def test_the_paid_page_reads_the_time_on_the_sessions_clock(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(
        nats_url=nats_url, inkline_sandbox=True, whatsapp_display_phone_number="447700900111"
    )
    start = datetime(2027, 7, 8, 13, tzinfo=UTC)  # 14:00 in Lisbon's summer time
    request = kit.deposit_request(
        slot=TimeRange(start=start, end=start + timedelta(hours=4)), timezone="Europe/Lisbon"
    )
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
        path = "/" + str(link["payload"]["url"]).split("/", 3)[3]
        async with httpx.AsyncClient(base_url=stripe_fake.url) as browser:
            paying = await browser.post(f"{path}/pay")
        # In the sandbox the success URL is this service's own address (HTTP_HOST:HTTP_PORT).
        page = await client.get("/" + paying.headers["location"].split("/", 3)[3])

    assert "We have your deposit for your session on Thu 8 Jul at 14:00." in page.text
    assert "https://wa.me/447700900111" in page.text


async def test_a_spanish_client_pays_on_a_spanish_checkout_and_lands_on_a_spanish_page(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(
        nats_url=nats_url, public_base_url=PUBLIC, whatsapp_display_phone_number="+44 7700 900111"
    )
    request = kit.deposit_request(
        slot=SESSION, timezone="Europe/Madrid", description="Cita con Rowan: jue, 10 dic", language="es"
    )
    async with (
        running_service(create_app(settings, clock=clock)) as client,
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)
        session_id = str(link["payload"]["url"]).rsplit("/", 1)[1]
        async with httpx.AsyncClient(base_url=stripe_fake.url) as browser:
            paid = await browser.post(f"/checkout/{session_id}/pay")
        page = await client.get(paid.headers["location"].removeprefix(PUBLIC))

    assert stripe_fake.state.session(session_id)["locale"] == "es", "Checkout's own labels in Spanish"
    (item,) = stripe_fake.state.line_items(session_id)
    assert item.name == "Depósito del tatuaje"
    assert '<html lang="es">' in page.text
    assert "Depósito recibido" in page.text
    # 14:00 UTC is 15:00 in Madrid.
    assert "Ya tenemos tu depósito para la cita del jue, 10 dic a las 15:00." in page.text
    assert "Volver a WhatsApp" in page.text
