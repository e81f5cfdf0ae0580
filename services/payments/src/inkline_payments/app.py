"""Composition root of the payments service: the only place its objects are built."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_payments import SERVICE
from inkline_payments.adapters.stripe_api import StripeCheckout
from inkline_payments.api.deposits_api import deposits_api_router
from inkline_payments.api.paid_page import paid_page_router
from inkline_payments.api.stripe_webhook import stripe_webhook_router
from inkline_payments.handlers.artist_settings import ArtistSettingsChangedHandler
from inkline_payments.handlers.deposit_requests import RequestDepositHandler
from inkline_payments.handlers.holds import HoldExpiredHandler
from inkline_payments.handlers.refunds import BookingConflictHandler, RequestRefundHandler
from inkline_payments.handlers.stripe_events import StripeEventHandler
from inkline_payments.jobs.reconciliation import Reconciler
from inkline_payments.settings import PaymentsSettings
from inkline_platform.body_limit import KIB, BodyLimits
from inkline_platform.clock import Clock, utc_now
from inkline_platform.runtime import ServiceRuntime

# A Stripe event is a few KiB (a Checkout Session with its metadata); 256 KiB is generous.
BODY_LIMITS = BodyLimits(by_prefix={"/webhooks/stripe": 256 * KIB})


def create_app(settings: PaymentsSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or PaymentsSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    # Stripe, or whatever STRIPE_API_BASE names that speaks its API (the sandbox hub, a test's fake).
    gateway = StripeCheckout(
        api_key=settings.stripe_api_key.get_secret_value(),
        api_base=settings.stripe_api_base,
        success_url=settings.success_url,
        cancel_url=settings.checkout_cancel_url,
        max_network_retries=settings.stripe_max_network_retries,
    )

    requests = RequestDepositHandler(gateway=gateway, policy=settings.deposits, uow=runtime.uow, clock=clock)
    runtime.consume(subjects.DEPOSIT_REQUESTED, requests, name="deposit-requested")
    runtime.consume(subjects.ARTIST_SETTINGS_CHANGED, ArtistSettingsChangedHandler(), name="artist-settings")
    runtime.consume(
        subjects.HOLD_EXPIRED, HoldExpiredHandler(gateway=gateway, clock=clock), name="hold-expired"
    )
    runtime.consume(
        subjects.BOOKING_CONFLICT, BookingConflictHandler(gateway=gateway), name="booking-conflict"
    )
    runtime.consume(
        subjects.DEPOSIT_REFUND_REQUESTED, RequestRefundHandler(gateway=gateway), name="refund-requested"
    )
    reconciler = Reconciler(
        gateway=gateway,
        uow=runtime.uow,
        clock=clock,
        recheck_after=timedelta(seconds=settings.reconcile_recheck_seconds),
    )
    runtime.every(settings.reconcile_interval_seconds, reconciler.run, name="reconcile-deposits")
    routers = [
        stripe_webhook_router(
            webhook_secret=settings.stripe_webhook_secret,
            events=StripeEventHandler(gateway=gateway, clock=clock),
            uow=runtime.uow,
        ),
        paid_page_router(uow=runtime.uow, chat_url=settings.whatsapp_chat_url),
        deposits_api_router(uow=runtime.uow, gateway=gateway, token=settings.payments_admin_token),
    ]
    runtime.on_stop(gateway.aclose)
    return runtime.create_app(title="Inkline payments", routers=routers, body_limits=BODY_LIMITS)
