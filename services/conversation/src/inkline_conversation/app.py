"""Composition root of the conversation service: the only place its objects are built."""

from __future__ import annotations

from fastapi import FastAPI

from inkline_conversation import SERVICE
from inkline_conversation.api.whatsapp_webhook import whatsapp_router
from inkline_conversation.settings import ConversationSettings
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: ConversationSettings | None = None) -> FastAPI:
    settings = settings or ConversationSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    webhook = whatsapp_router(
        app_secret=settings.whatsapp_app_secret, verify_token=settings.whatsapp_verify_token, uow=runtime.uow
    )
    return runtime.create_app(title="Inkline conversation", routers=[webhook])
