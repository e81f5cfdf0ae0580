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
from inkline_campaigns.handlers import messages
from inkline_campaigns.handlers.activity import ActivityHandlers
from inkline_campaigns.handlers.last_minute import LastMinuteOffers
from inkline_campaigns.handlers.leads import LeadHandlers
from inkline_campaigns.jobs.dispatch import CampaignDispatcher, Clock, utc_now
from inkline_campaigns.jobs.metrics import MetricsPublisher
from inkline_campaigns.jobs.progress_gauge import CampaignProgressGauge
from inkline_campaigns.jobs.sequences import SequenceRunner
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_platform.body_limit import FORM_BODY_LIMIT, BodyLimits
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

    leads = LeadHandlers(default_timezone=settings.campaigns_default_timezone, attribution_window=window)
    runtime.consume(subjects.LEAD_CREATED, leads.on_lead_created, name="lead-created")
    runtime.consume(subjects.LEAD_STATUS_CHANGED, leads.on_status_changed, name="lead-status-changed")
    runtime.consume(subjects.LEAD_QUALIFIED, leads.on_qualified, name="lead-qualified")
    runtime.consume(subjects.LEAD_OPTED_OUT, leads.on_opted_out, name="lead-opted-out")
    runtime.consume(subjects.LEAD_OPTED_IN, leads.on_opted_in, name="lead-opted-in")
    activity = ActivityHandlers(attribution_window=window)
    runtime.consume(subjects.CONSULT_MESSAGE_RECEIVED, activity.on_client_message, name="client-message")
    runtime.consume(subjects.DEPOSIT_PAID, activity.on_deposit_paid, name="deposit-paid")
    runtime.consume(subjects.DEPOSIT_EXPIRED, activity.on_deposit_expired, name="deposit-expired")
    runtime.consume(subjects.BOOKING_CONFIRMED, activity.on_booking_confirmed, name="booking-confirmed")
    runtime.consume(subjects.CALENDAR_TOUR_LEG_PUBLISHED, activity.on_tour_leg_published, name="tour-leg")
    runtime.consume(subjects.MESSAGE_SENT, messages.on_message_sent, name="message-sent")
    runtime.consume(subjects.MESSAGE_DELIVERED, messages.on_message_delivered, name="message-delivered")
    runtime.consume(subjects.MESSAGE_READ, messages.on_message_read, name="message-read")
    runtime.consume(subjects.MESSAGE_FAILED, messages.on_message_failed, name="message-failed")

    rules = marketing_rules(settings)
    offers = LastMinuteOffers(
        rules=rules,
        limit=settings.last_minute_offer_limit,
        min_notice=timedelta(hours=settings.last_minute_min_notice_hours),
        artist_zone=ZoneInfo(settings.artist_timezone),
        clock=clock,
    )
    runtime.consume(subjects.CALENDAR_SLOT_FREED, offers.on_slot_freed, name="slot-freed")
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
    for router in (segments_router, templates_router, campaigns_router, sequences_router):
        api.include_router(router(uow=runtime.uow))
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
