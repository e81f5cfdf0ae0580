"""Composition root of the calendar service: the only place its objects are built."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from inkline_calendar import SERVICE
from inkline_calendar.adapters.calendar_port import CalendarPort
from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.api.admin import admin_router
from inkline_calendar.api.bookings_admin import bookings_admin_router
from inkline_calendar.domain.holds import HoldPolicy
from inkline_calendar.domain.retries import RetrySchedule
from inkline_calendar.handlers.deposits import DepositExpiredHandler, DepositPaidHandler
from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.leads import LeadCancelledHandler
from inkline_calendar.handlers.moves import MoveBookingHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.handlers.slots import SuggestSlotsHandler
from inkline_calendar.jobs.calendar_sync import CalendarSync
from inkline_calendar.jobs.hold_sweeper import HoldSweeper
from inkline_calendar.jobs.holds_gauge import ActiveHoldsGauge
from inkline_calendar.settings import CalendarSettings
from inkline_contracts import subjects
from inkline_platform.clock import Clock, utc_now
from inkline_platform.runtime import ServiceRuntime


def build_calendar(settings: CalendarSettings) -> CalendarPort:
    """Google Calendar, or whatever GOOGLE_API_ENDPOINT names that speaks its API (the sandbox hub)."""
    # Settings refuse to start without the key file, in and outside the sandbox.
    assert settings.google_service_account_file is not None
    return GoogleCalendar.from_service_account_file(
        settings.google_service_account_file,
        calendar_id=settings.google_calendar_id,
        api_endpoint=settings.google_api_endpoint,
        timeout_seconds=settings.google_timeout_seconds,
    )


def create_app(settings: CalendarSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or CalendarSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    calendar = build_calendar(settings)
    rules = CalendarRules(
        clock=clock,
        hold_policy=HoldPolicy(ttl=timedelta(minutes=settings.hold_ttl_minutes)),
        seed_file=settings.availability_seed_file,
    )
    runtime.consume(
        subjects.SLOTS_REQUESTED, SuggestSlotsHandler(rules, calendar=calendar), name="slots-requested"
    )
    runtime.consume(subjects.HOLD_REQUESTED, PlaceHoldHandler(rules), name="hold-requested")
    runtime.consume(subjects.DEPOSIT_PAID, DepositPaidHandler(rules), name="deposit-paid")
    runtime.consume(subjects.DEPOSIT_EXPIRED, DepositExpiredHandler(rules), name="deposit-expired")
    runtime.consume(subjects.LEAD_CANCELLED, LeadCancelledHandler(rules), name="lead-cancelled")
    runtime.consume(subjects.BOOKING_MOVE_REQUESTED, MoveBookingHandler(rules), name="booking-move")
    sweeper = HoldSweeper(uow=runtime.uow, clock=clock)
    runtime.every(settings.hold_sweep_seconds, sweeper.run, name="hold-sweeper")
    holds_gauge = ActiveHoldsGauge(uow=runtime.uow, clock=clock)
    runtime.every(settings.hold_sweep_seconds, holds_gauge.run, name="active-holds-gauge", traced=False)
    sync = CalendarSync(
        uow=runtime.uow,
        calendar=calendar,
        clock=clock,
        service=SERVICE,
        schedule=RetrySchedule(
            base=timedelta(seconds=settings.calendar_retry_base_seconds),
            cap=timedelta(seconds=settings.calendar_retry_max_seconds),
            max_attempts=settings.calendar_max_attempts,
        ),
    )
    runtime.every(settings.calendar_sync_seconds, sync.run, name="calendar-sync")
    admin = admin_router(
        token=settings.calendar_admin_token, uow=runtime.uow, seed_file=settings.availability_seed_file
    )
    bookings = bookings_admin_router(token=settings.calendar_admin_token, uow=runtime.uow, rules=rules)
    return runtime.create_app(title="Inkline calendar", routers=[admin, bookings])
