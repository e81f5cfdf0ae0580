"""Shared fixtures: the studio's database, a campaigns service behind it, a settable clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns_app
from inkline_campaigns.db import MIGRATIONS_DIR as CAMPAIGNS_MIGRATIONS
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.provider_fakes import ProviderFakes, provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_payments.app import create_app as create_payments_app
from inkline_payments.db import MIGRATIONS_DIR as PAYMENTS_MIGRATIONS
from inkline_payments.db.models import Deposit
from inkline_payments.settings import PaymentsSettings
from inkline_platform.db import make_engine, make_session_factory
from inkline_studio.db import MIGRATIONS_DIR
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock

ARTIST = "447700900123"
CAMPAIGNS_TOKEN = "studio-tests-campaigns-token-000000"
CONVERSATION_TOKEN = "studio-tests-conversation-token-00000"
CALENDAR_TOKEN = "studio-tests-calendar-token-0000000"
SESSION_SECRET = "studio-tests-session-secret-0000000"
PAYMENTS_TOKEN = "studio-tests-payments-token-0000000"
# A client's paid deposit: (lead id, amount in minor units) -> the deposit's id.
PayDeposit = Callable[[uuid.UUID, int], Awaitable[uuid.UUID]]


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[ProviderFakes]:
    """The providers' fakes: in the sandbox, calendar and conversation must be pointed at them."""
    with provider_fakes(tmp_path) as served:
        yield served


@pytest.fixture
def calendar_providers(fakes: ProviderFakes) -> dict[str, Any]:
    """CalendarSettings' provider fields, on the Google fake."""
    return {
        "google_api_endpoint": fakes.google_url,
        "google_service_account_file": str(fakes.service_account),
        "google_calendar_id": fakes.credentials.calendar_id,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(MIGRATIONS_DIR)


@pytest.fixture
async def campaigns_database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(CAMPAIGNS_MIGRATIONS)


@pytest.fixture
def campaigns_settings(campaigns_database_url: str, nats_url: str) -> CampaignsSettings:
    return CampaignsSettings(
        database_url=campaigns_database_url,
        nats_url=nats_url,
        campaigns_admin_token=CAMPAIGNS_TOKEN,
        campaigns_dispatch_interval_seconds=0.2,
        log_json=False,
    )


@pytest.fixture
def campaigns_app(campaigns_settings: CampaignsSettings, clock: Clock) -> FastAPI:
    """The real campaigns service; the studio reaches its API in-process (its jobs do not run).

    On the studio's clock: whether a client is in their night (left for their morning) must not depend on
    the hour the tests run.
    """
    return create_campaigns_app(campaigns_settings, clock=clock)


@pytest.fixture
def studio_settings(database_url: str, nats_url: str) -> StudioSettings:
    return StudioSettings(
        database_url=database_url,
        nats_url=nats_url,
        artist_whatsapp_number=ARTIST,
        artist_name="Mara",
        studio_public_url="https://studio.example",
        studio_session_secret=SESSION_SECRET,
        campaigns_admin_token=CAMPAIGNS_TOKEN,
        conversation_admin_token=CONVERSATION_TOKEN,
        calendar_admin_token=CALENDAR_TOKEN,
        payments_admin_token=PAYMENTS_TOKEN,
        log_json=False,
    )


@pytest.fixture
async def payments_settings(
    migrated_database: DatabaseFactory, nats_url: str, fakes: ProviderFakes
) -> PaymentsSettings:
    return PaymentsSettings(
        database_url=await migrated_database(PAYMENTS_MIGRATIONS),
        nats_url=nats_url,
        stripe_api_base=fakes.stripe_url,
        stripe_api_key=fakes.credentials.stripe_key,
        stripe_max_network_retries=0,
        payments_admin_token=PAYMENTS_TOKEN,
        log_json=False,
    )


@pytest.fixture
async def payments_transport(payments_settings: PaymentsSettings) -> AsyncIterator[httpx.ASGITransport]:
    """Payments' API in-process (its consumers and jobs do not run); connections closed after."""
    app = create_payments_app(payments_settings)
    yield httpx.ASGITransport(app=app)
    await app.state.runtime.engine.dispose()


@pytest.fixture
def pay_deposit(payments_settings: PaymentsSettings, fakes: ProviderFakes) -> PayDeposit:
    """A deposit the client paid at the Stripe fake's checkout, as payments records it."""

    async def pay(lead_id: uuid.UUID, amount_minor: int) -> uuid.UUID:
        item = {
            "price_data": {
                "currency": "gbp",
                "unit_amount": amount_minor,
                "product_data": {"name": "Deposit"},
            },
            "quantity": 1,
        }
        session = fakes.stripe.create_session(
            {"mode": "payment", "line_items": [item], "success_url": "https://studio.example/paid"},
            base_url=fakes.stripe_url,
        )
        paid = fakes.stripe.pay_session(session["id"])
        deposit_id, now = uuid.uuid4(), datetime.now(UTC)
        engine = make_engine(payments_settings.database_url)
        async with make_session_factory(engine)() as db:
            db.add(
                Deposit(
                    id=deposit_id,
                    lead_id=lead_id,
                    hold_id=uuid.uuid4(),
                    status="paid",
                    amount_minor=amount_minor,
                    currency="GBP",
                    description="Deposit",
                    hold_expires_at=now + timedelta(minutes=45),
                    session_expires_at=now + timedelta(minutes=45),
                    checkout_session_id=session["id"],
                    payment_intent_id=paid["payment_intent"],
                    paid_at=now,
                )
            )
            await db.commit()
        await engine.dispose()
        return deposit_id

    return pay


@pytest.fixture
async def campaigns_transport(campaigns_app: FastAPI) -> AsyncIterator[httpx.ASGITransport]:
    """Campaigns' API in-process; its database connections are closed after the test."""
    yield httpx.ASGITransport(app=campaigns_app)
    await campaigns_app.state.runtime.engine.dispose()


@pytest.fixture
async def conversation_settings(
    migrated_database: DatabaseFactory, nats_url: str, fakes: ProviderFakes
) -> ConversationSettings:
    return ConversationSettings(
        database_url=await migrated_database(CONVERSATION_MIGRATIONS),
        nats_url=nats_url,
        whatsapp_graph_url=fakes.graph_url,
        conversation_admin_token=CONVERSATION_TOKEN,
        log_json=False,
    )


@pytest.fixture
async def conversation_transport(
    conversation_settings: ConversationSettings,
) -> AsyncIterator[httpx.ASGITransport]:
    """Conversation's API in-process (its consumers and jobs do not run); connections closed after."""
    app = create_conversation_app(conversation_settings)
    yield httpx.ASGITransport(app=app)
    await app.state.runtime.engine.dispose()


@pytest.fixture
async def calendar_database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(CALENDAR_MIGRATIONS)


@pytest.fixture
async def calendar_transport(
    calendar_database_url: str, nats_url: str, calendar_providers: dict[str, Any]
) -> AsyncIterator[httpx.ASGITransport]:
    """Calendar's admin API in-process (its consumers and jobs do not run); connections closed after."""
    settings = CalendarSettings(
        database_url=calendar_database_url,
        nats_url=nats_url,
        **calendar_providers,
        calendar_admin_token=CALENDAR_TOKEN,
        log_json=False,
    )
    app = create_calendar_app(settings)
    yield httpx.ASGITransport(app=app)
    await app.state.runtime.engine.dispose()
