"""The sandbox adapter (INKLINE_SANDBOX=1): no Stripe account, sessions kept in the service's database.

Its checkout page is served by the payments service itself (`api/sandbox_checkout.py`); paying there
completes the session and sends a `checkout.session.completed` event, signed exactly as Stripe signs it,
to the service's own webhook, so the sandbox exercises the same verification and handling as production.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inkline_payments.adapters.gateway import metadata_of
from inkline_payments.db.models import SandboxCheckoutSession
from inkline_payments.domain.checkout import (
    CheckoutRequest,
    RefundResult,
    SessionSnapshot,
    metadata_deposit_id,
)


class SandboxStripe:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        checkout_base_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._base = checkout_base_url.rstrip("/")
        self._clock = clock

    async def create_checkout_session(self, request: CheckoutRequest) -> SessionSnapshot:
        # The id derives from the deposit id: a repeated request finds the first session, as Stripe's
        # idempotency key would.
        session_id = f"cs_sandbox_{request.deposit_id.hex}"
        async with self._sessions() as db, db.begin():
            await db.execute(
                insert(SandboxCheckoutSession)
                .values(
                    id=session_id,
                    status="open",
                    payment_status="unpaid",
                    amount_total=request.amount_minor,
                    currency=request.currency.lower(),
                    description=request.description,
                    client_reference_id=str(request.deposit_id),
                    session_metadata=metadata_of(request),
                    expires_at=request.expires_at,
                )
                .on_conflict_do_nothing(index_elements=["id"])
            )
        return await self.retrieve_session(session_id)

    async def retrieve_session(self, session_id: str) -> SessionSnapshot:
        return self.snapshot(await self._load(session_id))

    async def expire_session(self, session_id: str) -> SessionSnapshot:
        async with self._sessions() as db, db.begin():
            await db.execute(
                update(SandboxCheckoutSession)
                .where(SandboxCheckoutSession.id == session_id, SandboxCheckoutSession.status == "open")
                .values(status="expired")
            )
        return await self.retrieve_session(session_id)

    async def pay(self, session_id: str) -> SandboxCheckoutSession:
        """The checkout page's Pay button; raises `SessionNotPayableError` unless the session is open."""
        async with self._sessions() as db, db.begin():
            row = await self._locked(db, session_id)
            if row.status != "open":
                raise SessionNotPayableError(f"This checkout session is {row.status}.")
            row.status, row.payment_status = "complete", "paid"
            row.payment_intent_id = f"pi_sandbox_{uuid.uuid4().hex[:24]}"
        return row

    async def refund(self, *, payment_intent_id: str, deposit_id: uuid.UUID, reason: str) -> RefundResult:
        async with self._sessions() as db, db.begin():
            row = await db.scalar(
                select(SandboxCheckoutSession)
                .where(SandboxCheckoutSession.payment_intent_id == payment_intent_id)
                .with_for_update()
            )
            if row is None:
                raise LookupError(f"No such payment_intent: '{payment_intent_id}'")
            if row.refund_id is None:
                row.refund_id = f"re_sandbox_{deposit_id.hex[:24]}"
                row.amount_refunded = row.amount_total
            return RefundResult(row.refund_id, row.amount_refunded, row.currency.upper())

    async def latest_refund(self, payment_intent_id: str) -> RefundResult | None:
        async with self._sessions() as db:
            row = await db.scalar(
                select(SandboxCheckoutSession).where(
                    SandboxCheckoutSession.payment_intent_id == payment_intent_id
                )
            )
        if row is None or row.refund_id is None:
            return None
        return RefundResult(row.refund_id, row.amount_refunded, row.currency.upper())

    async def aclose(self) -> None:
        return None

    async def find(self, session_id: str) -> SandboxCheckoutSession | None:
        async with self._sessions() as db, db.begin():
            row = await db.get(SandboxCheckoutSession, session_id, with_for_update=True)
            if row is not None:
                self._expire_if_due(row)
            return row

    def snapshot(self, row: SandboxCheckoutSession) -> SessionSnapshot:
        return SessionSnapshot(
            session_id=row.id,
            status=row.status,
            payment_status=row.payment_status,
            url=f"{self._base}/sandbox/checkout/{row.id}" if row.status == "open" else None,
            payment_intent_id=row.payment_intent_id,
            deposit_id=metadata_deposit_id(row.session_metadata),
        )

    async def _load(self, session_id: str) -> SandboxCheckoutSession:
        row = await self.find(session_id)
        if row is None:
            raise LookupError(f"No such checkout.session: '{session_id}'")
        return row

    async def _locked(self, db: AsyncSession, session_id: str) -> SandboxCheckoutSession:
        row = await db.get(SandboxCheckoutSession, session_id, with_for_update=True)
        if row is None:
            raise LookupError(f"No such checkout.session: '{session_id}'")
        self._expire_if_due(row)
        return row

    def _expire_if_due(self, row: SandboxCheckoutSession) -> None:
        if row.status == "open" and row.expires_at <= self._clock():
            row.status = "expired"


class SessionNotPayableError(Exception):
    """The session is complete or expired: the Pay button no longer works."""


def completed_event(row: SandboxCheckoutSession, *, created: datetime) -> bytes:
    """A `checkout.session.completed` event in Stripe's JSON shape (the fields the webhook reads)."""
    session: dict[str, Any] = {
        "id": row.id,
        "object": "checkout.session",
        "amount_total": row.amount_total,
        "client_reference_id": row.client_reference_id,
        "currency": row.currency,
        "expires_at": int(row.expires_at.timestamp()),
        "metadata": row.session_metadata,
        "mode": "payment",
        "payment_intent": row.payment_intent_id,
        "payment_status": row.payment_status,
        "status": row.status,
        "url": None,
    }
    event = {
        "id": f"evt_sandbox_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": int(created.timestamp()),
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
    }
    return json.dumps(event, indent=2).encode()


def stripe_signature(payload: bytes, secret: str, *, timestamp: int) -> str:
    """`Stripe-Signature` as Stripe computes it: HMAC-SHA256 over `<t>.<raw body>`, keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
