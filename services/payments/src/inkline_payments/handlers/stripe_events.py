"""What a verified Stripe event does to our deposits; runs in the webhook's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog
from pydantic import BaseModel, ConfigDict

from inkline_payments.adapters.gateway import StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.deposit_changes import alert, apply_refund, apply_session
from inkline_payments.db.models import Deposit
from inkline_payments.domain.checkout import SessionSnapshot, metadata_deposit_id
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)

SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
CHARGE_REFUNDED = "charge.refunded"
HANDLED = SESSION_EVENTS | {CHARGE_REFUNDED}


class EventData(BaseModel):
    model_config = ConfigDict(extra="ignore")

    object: dict[str, Any]


class StripeEventBody(BaseModel):
    """The parts of a Stripe event (`{"id", "type", "data": {"object": ...}}`) the webhook reads."""

    model_config = ConfigDict(extra="ignore")

    id: str
    type: str
    data: EventData


def session_snapshot(obj: dict[str, Any]) -> SessionSnapshot:
    intent = obj.get("payment_intent")
    return SessionSnapshot(
        session_id=str(obj["id"]),
        status=str(obj.get("status") or "open"),
        payment_status=str(obj.get("payment_status") or "unpaid"),
        url=obj.get("url"),
        payment_intent_id=intent.get("id") if isinstance(intent, dict) else intent,
        deposit_id=metadata_deposit_id(obj.get("metadata")),
    )


class StripeEventHandler:
    """Applies a verified Stripe event to our deposits, in the webhook's unit of work."""

    def __init__(self, *, gateway: StripeGateway, clock: Callable[[], datetime]) -> None:
        self._gateway = gateway
        self._clock = clock

    async def __call__(self, work: UnitOfWork, event: StripeEventBody) -> None:
        if event.type in SESSION_EVENTS:
            await self._session_event(work, event)
        elif event.type == CHARGE_REFUNDED:
            await self._charge_refunded(work, event)

    async def _session_event(self, work: UnitOfWork, event: StripeEventBody) -> None:
        session = session_snapshot(event.data.object)
        deposit = await self._deposit_for(work, session)
        if deposit is None:
            self._unknown(work, event, object_id=session.session_id)
            return
        apply_session(
            work,
            deposit,
            session,
            now=self._clock(),
            async_payment_failed=event.type == "checkout.session.async_payment_failed",
        )

    async def _charge_refunded(self, work: UnitOfWork, event: StripeEventBody) -> None:
        charge = event.data.object
        intent = charge.get("payment_intent")
        deposit = await deposits.by_payment_intent(work.session, intent) if isinstance(intent, str) else None
        if deposit is None or not isinstance(intent, str):
            self._unknown(work, event, object_id=str(charge.get("id")))
            return
        if not charge.get("refunded"):
            # A partial refund: the deposit is still (mostly) paid; the artist handles the rest.
            log.info("partial_refund_ignored", deposit_id=str(deposit.id), charge_id=charge.get("id"))
            return
        refund = await self._gateway.latest_refund(intent)
        if refund is None:
            raise LookupError(f"charge.refunded for {intent} but Stripe lists no refund")
        apply_refund(work, deposit, refund)

    async def _deposit_for(self, work: UnitOfWork, session: SessionSnapshot) -> Deposit | None:
        # Our metadata first: it is there even if we crashed before storing the session id.
        if session.deposit_id is not None:
            deposit = await deposits.by_id(work.session, session.deposit_id)
            if deposit is not None:
                return deposit
        return await deposits.by_session_id(work.session, session.session_id)

    def _unknown(self, work: UnitOfWork, event: StripeEventBody, *, object_id: str) -> None:
        alert(
            work,
            kind="stripe_event_for_unknown_deposit",
            message=f"Stripe sent {event.type} for {object_id}, which matches no deposit.",
            correlation_id=event.id,
            details={"event_id": event.id, "event_type": event.type, "object_id": object_id},
        )
