"""Composition root of the campaigns service: the only place its objects are built."""

from __future__ import annotations

from fastapi import FastAPI

from inkline_campaigns import SERVICE
from inkline_campaigns.handlers.leads import on_lead_created
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: CampaignsSettings | None = None) -> FastAPI:
    settings = settings or CampaignsSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    runtime.consume(subjects.LEAD_CREATED, on_lead_created, name="lead-created")
    return runtime.create_app(title="Inkline campaigns")
