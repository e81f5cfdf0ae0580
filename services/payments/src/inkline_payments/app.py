"""Composition root of the payments service: the only place its objects are built."""

from __future__ import annotations

from fastapi import FastAPI

from inkline_payments import SERVICE
from inkline_payments.settings import PaymentsSettings
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or PaymentsSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    return runtime.create_app(title="Inkline payments")
