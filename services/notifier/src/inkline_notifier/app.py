"""Composition root of the notifier service: the only place its objects are built."""

from __future__ import annotations

from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_notifier import SERVICE
from inkline_notifier.handlers.contacts import on_client_message, on_lead_created
from inkline_notifier.settings import NotifierSettings
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    runtime.consume(subjects.LEAD_CREATED, on_lead_created, name="lead-created")
    runtime.consume(subjects.CONSULT_MESSAGE_RECEIVED, on_client_message, name="client-message")
    return runtime.create_app(title="Inkline notifier")
