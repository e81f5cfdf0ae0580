"""Fixtures for the payments service against real NATS, real PostgreSQL and the Stripe fake."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import nats
import pytest
from nats.js.errors import NotFoundError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts.base import Contract, SizeCategory, TimeRange
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.events.deposit import RequestDeposit
from inkline_contracts.subjects import Subject
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_payments.db import MIGRATIONS_DIR
from inkline_payments.settings import PaymentsSettings
from inkline_platform.testing import MovableClock
from inkline_sandbox.server import serve_in_background
from inkline_sandbox.stripe import StripeState, create_stripe_app, sign

API_KEY = "sk_test_payments"
WEBHOOK_SECRET = "whsec_payments_test"
ADMIN_TOKEN = "payments-tests-admin-token-000000000"

P = TypeVar("P", bound=Contract)


@dataclass
class StripeFake:
    state: StripeState
    url: str

    def signed(self, event_id: str) -> tuple[bytes, str]:
        payload = self.state.event_payload(event_id)
        return payload, sign(payload, WEBHOOK_SECRET)


@pytest.fixture
def stripe_fake() -> Iterator[StripeFake]:
    # Events are recorded, not delivered: tests hand them over, duplicated, reordered or dropped.
    state = StripeState(api_key=API_KEY, deliver_webhooks=False)
    with serve_in_background(create_stripe_app(state, sweep_interval=3600)) as url:
        yield StripeFake(state, url)
    state.close()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


SettingsFactory = Callable[..., Awaitable[PaymentsSettings]]


@pytest.fixture
def make_settings(migrated_database: DatabaseFactory, stripe_fake: StripeFake) -> SettingsFactory:
    async def make(*, nats_url: str, database_url: str | None = None, **overrides: Any) -> PaymentsSettings:
        values: dict[str, Any] = {
            "database_url": database_url or await migrated_database(MIGRATIONS_DIR),
            "nats_url": nats_url,
            "inkline_sandbox": False,
            "stripe_api_key": API_KEY,
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "payments_admin_token": ADMIN_TOKEN,
            "stripe_api_base": stripe_fake.url,
            "stripe_max_network_retries": 0,
            "reconcile_interval_seconds": 0.1,
            "reconcile_recheck_seconds": 0,
            "consumer_backoff_seconds": [0.1],
            "log_json": False,
        } | overrides
        return PaymentsSettings(**values)

    return make


class Kit:
    """Helpers the component tests share (a sibling test module cannot be imported under importlib mode)."""

    @staticmethod
    def deposit_request(
        *,
        hold_minutes: int = 45,
        size: SizeCategory = SizeCategory.MEDIUM,
        slot: TimeRange | None = None,
        timezone: str | None = None,
        description: str = "Deposit: fine-line swallow, forearm",
        language: str | None = None,
    ) -> RequestDeposit:
        return RequestDeposit(
            deposit_id=uuid.uuid4(),
            lead_id=uuid.uuid4(),
            hold_id=uuid.uuid4(),
            size_category=size,
            description=description,
            expires_at=datetime.now(UTC) + timedelta(minutes=hold_minutes),
            slot=slot,
            timezone=timezone,
            language=language,
        )

    @staticmethod
    async def publish(
        nats_url: str,
        subject: Subject[P],
        payload: P,
        *,
        correlation_id: str,
        message_id: uuid.UUID | None = None,
    ) -> Envelope[P]:
        """Put a message on JetStream the way another service's outbox relay does."""
        envelope = new_envelope(subject, payload, correlation_id=correlation_id, message_id=message_id)
        client = await nats.connect(nats_url)
        try:
            await client.jetstream().publish(
                subject.name,
                envelope.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(envelope.message_id)},
            )
        finally:
            await client.close()
        return envelope

    @staticmethod
    async def last_on_stream(nats_url: str, subject: Subject[Any]) -> dict[str, Any] | None:
        """The newest message stored on `subject`, or None (a read of the stream, whenever it arrived)."""
        client = await nats.connect(nats_url)
        try:
            message = await client.jetstream().get_last_msg(subject.stream, subject.name)
        except NotFoundError:
            return None
        finally:
            await client.close()
        data: dict[str, Any] = json.loads(message.data or b"{}")
        return data

    @staticmethod
    async def rows(database_url: str, sql: str, **params: Any) -> list[Any]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                return list((await connection.execute(text(sql), params)).all())
        finally:
            await engine.dispose()

    @staticmethod
    async def inbox_count(database_url: str, consumer: str, at_least: int) -> bool:
        found = await Kit.rows(database_url, "SELECT count(*) FROM inbox WHERE consumer = :c", c=consumer)
        return int(found[0][0]) >= at_least

    @staticmethod
    async def outbox_payloads(database_url: str, subject: Subject[Any]) -> list[dict[str, Any]]:
        found = await Kit.rows(
            database_url, "SELECT body FROM outbox WHERE subject = :s ORDER BY seq", s=subject.name
        )
        return [json.loads(row[0])["payload"] for row in found]

    @staticmethod
    async def deliver(client: httpx.AsyncClient, payload: bytes, signature: str) -> httpx.Response:
        return await client.post(
            "/webhooks/stripe",
            content=payload,
            headers={"Stripe-Signature": signature, "Content-Type": "application/json; charset=utf-8"},
        )


@pytest.fixture
def kit() -> Kit:
    return Kit()
