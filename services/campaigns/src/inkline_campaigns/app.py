"""Composition root of the campaigns service: the only place its objects are built."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI

from inkline_campaigns import SERVICE
from inkline_campaigns.api import errors
from inkline_campaigns.api.auth import bearer_guard
from inkline_campaigns.api.campaigns import campaigns_router
from inkline_campaigns.api.dashboard import dashboard_router
from inkline_campaigns.api.segments import segments_router
from inkline_campaigns.api.sequences import sequences_router
from inkline_campaigns.api.templates import templates_router
from inkline_campaigns.domain.consent import FrequencyCap, QuietHours
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.handlers.activity import (
    BookingConfirmedHandler,
    ClientMessageReceivedHandler,
    DepositExpiredHandler,
    DepositPaidHandler,
    TourLegPublishedHandler,
)
from inkline_campaigns.handlers.identities import ClientIdentityChangedHandler
from inkline_campaigns.handlers.last_minute import SlotFreedHandler
from inkline_campaigns.handlers.leads import (
    LeadCreatedHandler,
    LeadOptedInHandler,
    LeadOptedOutHandler,
    LeadQualifiedHandler,
    LeadStatusChangedHandler,
)
from inkline_campaigns.handlers.messages import (
    MessageDeliveredHandler,
    MessageFailedHandler,
    MessageReadHandler,
    MessageSentHandler,
)
from inkline_campaigns.jobs.dispatch import CampaignDispatcher
from inkline_campaigns.jobs.metrics import MetricsPublisher
from inkline_campaigns.jobs.progress_gauge import CampaignProgressGauge
from inkline_campaigns.jobs.sequences import SequenceRunner
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_platform.body_limit import FORM_BODY_LIMIT, BodyLimits
from inkline_platform.clock import Clock, utc_now
from inkline_platform.runtime import ServiceRuntime


def marketing_rules(settings: CampaignsSettings) -> MarketingRules:
    return MarketingRules(
        consent_rule=settings.campaigns_consent_rule,
        cap=FrequencyCap(period=timedelta(days=settings.campaigns_frequency_cap_days)),
        quiet=QuietHours(start=settings.campaigns_quiet_hours_start, end=settings.campaigns_quiet_hours_end),
        default_timezone=settings.campaigns_default_timezone,
    )


def create_app(settings: CampaignsSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or CampaignsSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    window = timedelta(days=settings.campaigns_attribution_window_days)

    zone = settings.campaigns_default_timezone
    runtime.consume(subjects.LEAD_CREATED, LeadCreatedHandler(default_timezone=zone), name="lead-created")
    runtime.consume(
        subjects.LEAD_STATUS_CHANGED,
        LeadStatusChangedHandler(default_timezone=zone),
        name="lead-status-changed",
    )
    runtime.consume(
        subjects.LEAD_QUALIFIED, LeadQualifiedHandler(default_timezone=zone), name="lead-qualified"
    )
    runtime.consume(
        subjects.LEAD_OPTED_OUT, LeadOptedOutHandler(attribution_window=window), name="lead-opted-out"
    )
    runtime.consume(subjects.LEAD_OPTED_IN, LeadOptedInHandler(), name="lead-opted-in")
    runtime.consume(subjects.LEAD_IDENTITY_CHANGED, ClientIdentityChangedHandler(), name="identity-changed")
    runtime.consume(
        subjects.CONSULT_MESSAGE_RECEIVED,
        ClientMessageReceivedHandler(attribution_window=window),
        name="client-message",
    )
    runtime.consume(subjects.DEPOSIT_PAID, DepositPaidHandler(attribution_window=window), name="deposit-paid")
    runtime.consume(subjects.DEPOSIT_EXPIRED, DepositExpiredHandler(), name="deposit-expired")
    runtime.consume(
        subjects.BOOKING_CONFIRMED,
        BookingConfirmedHandler(attribution_window=window),
        name="booking-confirmed",
    )
    runtime.consume(subjects.CALENDAR_TOUR_LEG_PUBLISHED, TourLegPublishedHandler(), name="tour-leg")
    runtime.consume(subjects.MESSAGE_SENT, MessageSentHandler(), name="message-sent")
    runtime.consume(subjects.MESSAGE_DELIVERED, MessageDeliveredHandler(), name="message-delivered")
    runtime.consume(subjects.MESSAGE_READ, MessageReadHandler(), name="message-read")
    runtime.consume(subjects.MESSAGE_FAILED, MessageFailedHandler(), name="message-failed")

    rules = marketing_rules(settings)
    offers = SlotFreedHandler(
        rules=rules,
        limit=settings.last_minute_offer_limit,
        min_notice=timedelta(hours=settings.last_minute_min_notice_hours),
        artist_zone=ZoneInfo(settings.artist_timezone),
        clock=clock,
    )
    runtime.consume(subjects.CALENDAR_SLOT_FREED, offers, name="slot-freed")
    dispatcher = CampaignDispatcher(
        uow=runtime.uow,
        rules=rules,
        rate_per_second=settings.campaigns_send_rate_per_second,
        interval_seconds=settings.campaigns_dispatch_interval_seconds,
        clock=clock,
    )
    runtime.every(settings.campaigns_dispatch_interval_seconds, dispatcher.run, name="campaign-dispatch")
    runtime.every(
        settings.campaigns_metrics_interval_seconds,
        MetricsPublisher(runtime.uow).run,
        name="campaign-metrics",
    )
    runtime.every(
        settings.campaigns_metrics_interval_seconds,
        CampaignProgressGauge(runtime.uow).run,
        name="campaign-progress-gauge",
        traced=False,
    )
    sequences = SequenceRunner(uow=runtime.uow, rules=rules, clock=clock)
    runtime.every(settings.campaigns_sequence_interval_seconds, sequences.run, name="sequence-steps")

    # Every /api route sits behind the bearer token; the dashboard checks its own cookie.
    api = APIRouter(dependencies=[Depends(bearer_guard(settings.campaigns_admin_token))])
    for router in (segments_router, templates_router, sequences_router):
        api.include_router(router(uow=runtime.uow))
    api.include_router(campaigns_router(uow=runtime.uow, rules=rules, clock=clock))
    app = runtime.create_app(
        title="Inkline campaigns",
        description="Segments, broadcast campaigns, nurture sequences and attribution. "
        "Every /api route needs `Authorization: Bearer <CAMPAIGNS_ADMIN_TOKEN>`.",
        routers=[api, dashboard_router(uow=runtime.uow, token=settings.campaigns_admin_token)],
        # The /api JSON bodies get the platform's default cap.
        body_limits=BodyLimits(by_prefix={"/dashboard/login": FORM_BODY_LIMIT}),
    )
    errors.install(app)
    return app
