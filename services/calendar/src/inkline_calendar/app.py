"""Composition root of the calendar service: the only place its objects are built."""

from __future__ import annotations

from fastapi import FastAPI

from inkline_calendar import SERVICE
from inkline_calendar.settings import CalendarSettings
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: CalendarSettings | None = None) -> FastAPI:
    settings = settings or CalendarSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    return runtime.create_app(title="Inkline calendar")
