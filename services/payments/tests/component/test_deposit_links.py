"""deposit.requested → one Checkout Session at Stripe → deposit.link_created; hold.expired expires it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.artist import ArtistSettingsChanged
from inkline_contracts.events.hold import HoldExpired
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_payments.adapters.stripe_api import StripeCheckout
from inkline_payments.app import create_app
from inkline_payments.domain.amounts import DepositPolicy, DepositRule
from inkline_payments.handlers.deposit_requests import RequestDepositHandler
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from conftest import Kit, SettingsFactory, StripeFake

    from inkline_platform.testing import MovableClock


async def test_the_same_deposit_request_delivered_twice_creates_one_session_and_one_link(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    request = kit.deposit_request(size=SizeCategory.LARGE)
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        # Two messages, two message ids: the inbox cannot tell them apart, only the deposit id can.
        for _ in range(2):
            await kit.publish(
                nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id)
            )
        (link,) = await links.wait_for_count(1)
        await eventually(lambda: kit.inbox_count(settings.database_url, "payments-deposit-requested", 2))

    (session,) = stripe_fake.state.sessions()
    assert link["payload"]["url"] == session["url"]
    assert link["payload"]["amount"] == {"amount_minor": 15_000, "currency": "GBP"}
    assert link["correlation_id"] == str(request.lead_id)
    assert session["metadata"] == {
        "deposit_id": str(request.deposit_id),
        "lead_id": str(request.lead_id),
        "hold_id": str(request.hold_id),
    }
    assert (session["client_reference_id"], session["mode"], session["amount_total"]) == (
        str(request.deposit_id), "payment", 15_000,
    )  # fmt: skip
    # The 45-minute hold is inside Stripe's window, so the link dies with the hold.
    assert session["expires_at"] == int(request.expires_at.replace(microsecond=0).timestamp())
    assert len(await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_LINK_CREATED)) == 1


async def test_a_crash_after_stripe_answered_resumes_with_the_same_session(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    gateway = StripeCheckout(api_key=settings.stripe_api_key.get_secret_value(), api_base=stripe_fake.url)
    handler = RequestDepositHandler(gateway=gateway, policy=DepositPolicy(), uow=uow, clock=clock)
    request = kit.deposit_request(hold_minutes=5)
    envelope = new_envelope(subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
    try:
        async with uow() as work:
            await handler(work, envelope)  # Stripe answered, then the process died before commit
        clock.advance(timedelta(minutes=1))  # the retry computes "now" later; it must not matter
        async with uow() as work:
            await handler(work, envelope)
            await work.commit()
    finally:
        await gateway.aclose()
        await engine.dispose()

    (session,) = stripe_fake.state.sessions()
    (link,) = await kit.outbox_payloads(settings.database_url, subjects.DEPOSIT_LINK_CREATED)
    assert link["url"] == session["url"]
    # A 5-minute hold still gets Stripe's 30-minute minimum (plus margin), computed once.
    assert session["expires_at"] - session["created"] >= 30 * 60


async def test_a_request_whose_hold_already_expired_sends_no_link(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    request = kit.deposit_request(hold_minutes=-1)
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_EXPIRED.name) as expired,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (message,) = await expired.wait_for_count(1)

    assert message["payload"]["deposit_id"] == str(request.deposit_id)
    assert stripe_fake.state.sessions() == []


async def test_a_size_without_a_usable_rule_fails_the_deposit_with_the_reason(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    policy = DepositPolicy(rules={SizeCategory.LARGE: DepositRule(percent=Decimal(20))})
    settings = await make_settings(nats_url=nats_url, deposits=policy)
    request = kit.deposit_request(size=SizeCategory.LARGE)  # no quote to take 20% of
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_FAILED.name) as failed,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (message,) = await failed.wait_for_count(1)

    assert "percentage of the quote" in message["payload"]["reason"]
    assert stripe_fake.state.sessions() == []


async def test_hold_expiry_expires_the_open_session_and_publishes_deposit_expired(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    request = kit.deposit_request()
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
        JetStreamProbe(nats_url, subjects.DEPOSIT_EXPIRED.name) as expired,
    ):
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        await links.wait_for_count(1)
        hold_expired = HoldExpired(
            hold_id=request.hold_id,
            lead_id=request.lead_id,
            range=TimeRange(start=request.expires_at, end=request.expires_at + timedelta(hours=2)),
        )
        sent = await kit.publish(
            nats_url, subjects.HOLD_EXPIRED, hold_expired, correlation_id=str(request.lead_id)
        )
        (message,) = await expired.wait_for_count(1)

    (session,) = stripe_fake.state.sessions()
    assert session["status"] == "expired"
    assert message["payload"] == {
        "deposit_id": str(request.deposit_id),
        "lead_id": str(request.lead_id),
        "hold_id": str(request.hold_id),
    }
    assert message["causation_id"] == str(sent.message_id)
    assert (await kit.rows(settings.database_url, "SELECT status FROM deposits")) == [("expired",)]


async def test_the_currency_the_artist_saved_is_the_deposits_currency_and_an_older_version_changes_nothing(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    saved, late_older = (
        ArtistSettingsChanged(version=version, language="en", currency=currency, changed_at=clock())
        for version, currency in ((2, "EUR"), (1, "USD"))
    )
    request = kit.deposit_request(size=SizeCategory.MEDIUM)
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        for changed in (saved, late_older):
            await kit.publish(nats_url, subjects.ARTIST_SETTINGS_CHANGED, changed, correlation_id="artist")
        await eventually(lambda: kit.inbox_count(settings.database_url, "payments-artist-settings", 2))
        await kit.publish(nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id))
        (link,) = await links.wait_for_count(1)

    (session,) = stripe_fake.state.sessions()
    assert link["payload"]["amount"] == {"amount_minor": 10_000, "currency": "EUR"}
    assert (session["currency"], session["amount_total"]) == ("eur", 10_000)


async def test_the_deposit_the_artist_set_for_a_size_is_charged_and_other_sizes_keep_the_rules(
    make_settings: SettingsFactory, nats_url: str, stripe_fake: StripeFake, kit: Kit, clock: MovableClock
) -> None:
    settings = await make_settings(nats_url=nats_url)
    saved = ArtistSettingsChanged(
        version=1,
        language="en",
        currency="EUR",
        changed_at=clock(),
        deposit_by_size_minor={SizeCategory.MEDIUM: 12_500},
    )
    medium, large = (kit.deposit_request(size=size) for size in (SizeCategory.MEDIUM, SizeCategory.LARGE))
    async with (
        running_service(create_app(settings, clock=clock)),
        JetStreamProbe(nats_url, subjects.DEPOSIT_LINK_CREATED.name) as links,
    ):
        await kit.publish(nats_url, subjects.ARTIST_SETTINGS_CHANGED, saved, correlation_id="artist")
        await eventually(lambda: kit.inbox_count(settings.database_url, "payments-artist-settings", 1))
        for request in (medium, large):
            await kit.publish(
                nats_url, subjects.DEPOSIT_REQUESTED, request, correlation_id=str(request.lead_id)
            )
        found = await links.wait_for_count(2)

    amounts = {link["payload"]["lead_id"]: link["payload"]["amount"] for link in found}
    assert amounts[str(medium.lead_id)] == {"amount_minor": 12_500, "currency": "EUR"}
    # The deployment's rule for a large tattoo (150.00), in the currency the artist saved.
    assert amounts[str(large.lead_id)] == {"amount_minor": 15_000, "currency": "EUR"}
