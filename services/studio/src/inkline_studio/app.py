"""Composition root of the studio: the only place its objects are built."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from inkline_platform.body_limit import FORM_BODY_LIMIT, BodyLimits
from inkline_platform.runtime import ServiceRuntime
from inkline_studio import SERVICE
from inkline_studio.adapters.calendar_api import CalendarApi
from inkline_studio.adapters.campaigns_api import CampaignsApi
from inkline_studio.adapters.conversation_api import ConversationApi
from inkline_studio.adapters.inbox_api import InboxApi
from inkline_studio.adapters.lead_ideas import ideas_of
from inkline_studio.adapters.payments_api import PaymentsApi
from inkline_studio.adapters.service_api import bearer_client
from inkline_studio.adapters.settings_api import ArtistSettingsApi
from inkline_studio.api import errors
from inkline_studio.api.calendar_pages import calendar_pages_router
from inkline_studio.api.campaigns_pages import campaigns_pages_router
from inkline_studio.api.inbox_pages import inbox_pages_router
from inkline_studio.api.leads_pages import leads_pages_router
from inkline_studio.api.media_proxy import media_proxy_router
from inkline_studio.api.page_headers import PageHeaders
from inkline_studio.api.pages import STATIC_DIR, Pages
from inkline_studio.api.session import Sessions
from inkline_studio.api.settings_pages import settings_pages_router
from inkline_studio.api.sign_in import sign_in_router
from inkline_studio.api.signed_in import signed_in_guard
from inkline_studio.db.people import ensure_artist
from inkline_studio.settings import StudioSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: StudioSettings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    campaigns_transport: httpx.AsyncBaseTransport | None = None,
    conversation_transport: httpx.AsyncBaseTransport | None = None,
    calendar_transport: httpx.AsyncBaseTransport | None = None,
    payments_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or StudioSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    sessions = Sessions(
        settings.studio_session_secret,
        lifetime=timedelta(hours=settings.studio_session_hours),
        clock=lambda: clock().timestamp(),
    )
    pages = Pages(sessions)
    guard = signed_in_guard(sessions)
    campaigns_client = bearer_client(
        base_url=settings.campaigns_api_url,
        token=settings.campaigns_admin_token,
        timeout=settings.services_timeout_seconds,
        transport=campaigns_transport,
    )
    conversation_client = bearer_client(
        base_url=settings.conversation_api_url,
        token=settings.conversation_admin_token,
        timeout=settings.services_timeout_seconds,
        transport=conversation_transport,
    )
    calendar_client = bearer_client(
        base_url=settings.calendar_api_url,
        token=settings.calendar_admin_token,
        timeout=settings.services_timeout_seconds,
        transport=calendar_transport,
    )
    payments_client = bearer_client(
        base_url=settings.payments_api_url,
        token=settings.payments_admin_token,
        timeout=settings.services_timeout_seconds,
        transport=payments_transport,
    )

    routers = [
        sign_in_router(
            uow=runtime.uow,
            pages=pages,
            public_url=settings.studio_public_url,
            link_lifetime=timedelta(minutes=settings.studio_sign_in_link_minutes),
            links_per_hour=settings.studio_sign_in_links_per_hour,
            clock=clock,
        ),
        inbox_pages_router(
            inbox=InboxApi(conversation_client),
            leads=ConversationApi(conversation_client),
            pages=pages,
            guard=guard,
        ),
        leads_pages_router(
            api=ConversationApi(conversation_client),
            payments=PaymentsApi(payments_client),
            pages=pages,
            guard=guard,
        ),
        media_proxy_router(inbox=InboxApi(conversation_client), guard=guard),
        calendar_pages_router(
            api=CalendarApi(calendar_client),
            lead_ideas=lambda lead_ids: ideas_of(conversation_client, lead_ids),
            pages=pages,
            guard=guard,
            clock=clock,
        ),
        campaigns_pages_router(
            api=CampaignsApi(campaigns_client),
            calendar=CalendarApi(calendar_client),
            pages=pages,
            guard=guard,
            clock=clock,
        ),
        settings_pages_router(
            api=ArtistSettingsApi(conversation_client), pages=pages, guard=guard, uow=runtime.uow
        ),
    ]
    app = runtime.create_app(
        title="Inkline studio",
        description="The artist's web app: pages, not an API.",
        routers=routers,
        # Every route takes small forms; nothing here uploads.
        body_limits=BodyLimits(default=FORM_BODY_LIMIT),
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(PageHeaders)
    errors.install(app, pages)

    runtime_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with runtime_lifespan(application):
            async with runtime.uow() as unit:
                await ensure_artist(
                    unit.session, wa_id=settings.artist_whatsapp_number, name=settings.artist_name
                )
                await unit.commit()
            try:
                yield
            finally:
                await campaigns_client.aclose()
                await conversation_client.aclose()
                await calendar_client.aclose()
                await payments_client.aclose()

    app.router.lifespan_context = lifespan
    return app
