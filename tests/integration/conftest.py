"""Whole-system fixtures: each service's app wired to the provider fakes, as the journey tests run them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from fastapi import FastAPI

from inkline_calendar.app import create_app as create_calendar
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.provider_fakes import ProviderFakes
from inkline_notifier.app import create_app as create_notifier
from inkline_notifier.settings import NotifierSettings
from inkline_payments.app import create_app as create_payments
from inkline_payments.settings import PaymentsSettings
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import serve_in_background

# The artist's action links point here; tests map the path onto a conversation replica.
CONVERSATION_BASE_URL = "http://conversation"
# Secrets we choose ourselves are at least 32 characters outside the sandbox.
VERIFY_TOKEN = "journey-verify-token-32-chars-ok"
MEDIA_LINK_SECRET = "journey-media-link-secret-32-chr"
CALENDAR_ADMIN_TOKEN = "journey-calendar-admin-token-32c"
CAMPAIGNS_ADMIN_TOKEN = "journey-campaigns-admin-token-32"
CONVERSATION_ADMIN_TOKEN = "journey-conversation-admin-token"
PAYMENTS_ADMIN_TOKEN = "journey-payments-admin-token-32c"


def build_service_app(
    name: str, *, databases: Mapping[str, str], fakes: ProviderFakes, nats_url: str, **overrides: Any
) -> FastAPI:
    """A new app (and so a new runtime) of service `name`, outside the sandbox, talking to the fakes.

    `overrides` are settings shared by every service (e.g. `stream_replicas`, `consumer_ack_wait_seconds`).
    """
    secrets = fakes.credentials
    common: dict[str, Any] = {
        "database_url": databases[name],
        "nats_url": nats_url,
        "inkline_sandbox": False,
        "log_json": False,
        **overrides,
    }
    if name == "conversation":
        return create_conversation(
            ConversationSettings(
                whatsapp_app_secret=secrets.app_secret,
                whatsapp_verify_token=VERIFY_TOKEN,
                whatsapp_access_token=secrets.graph_token,
                whatsapp_graph_url=fakes.graph_url,
                media_link_secret=MEDIA_LINK_SECRET,
                conversation_admin_token=CONVERSATION_ADMIN_TOKEN,
                artist_whatsapp_number=secrets.artist,
                public_base_url=CONVERSATION_BASE_URL,
                **common,
            )
        )
    if name == "payments":
        return create_payments(
            PaymentsSettings(
                stripe_api_key=secrets.stripe_key,
                stripe_webhook_secret=secrets.stripe_webhook_secret,
                stripe_api_base=fakes.stripe_url,
                payments_admin_token=PAYMENTS_ADMIN_TOKEN,
                **common,
            )
        )
    if name == "calendar":
        return create_calendar(
            CalendarSettings(
                google_service_account_file=str(fakes.service_account),
                google_api_endpoint=fakes.google_url,
                google_calendar_id=secrets.calendar_id,
                calendar_admin_token=CALENDAR_ADMIN_TOKEN,
                calendar_sync_seconds=0.2,
                **common,
            )
        )
    if name == "notifier":
        return create_notifier(
            NotifierSettings(
                whatsapp_graph_url=fakes.graph_url,
                whatsapp_access_token=secrets.graph_token,
                artist_whatsapp_number=secrets.artist,
                # The artist has not written to the business number, so their messages go as a template.
                whatsapp_default_fallback_template={"name": "inkline_update", "language": "en"},
                **common,
            )
        )
    if name == "campaigns":
        return create_campaigns(CampaignsSettings(campaigns_admin_token=CAMPAIGNS_ADMIN_TOKEN, **common))
    raise ValueError(f"no service called {name!r}")


@pytest.fixture
def graph_url() -> Iterator[str]:
    """A Cloud API fake of the test's own, for a conversation service that only needs somewhere to point
    WHATSAPP_GRAPH_URL (it downloads media from there; in the sandbox it has no stand-in of its own)."""
    with serve_in_background(create_graph_app(GraphState())) as url:
        yield f"{url}/v21.0"


@pytest.fixture
def service_app() -> Callable[..., FastAPI]:
    """`service_app(name, databases=..., fakes=..., nats_url=..., **overrides)` → a new app of that service."""
    return build_service_app
