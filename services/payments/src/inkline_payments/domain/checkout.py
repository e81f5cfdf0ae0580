"""What Stripe tells us about a Checkout Session, and the deposit state it means."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from inkline_payments.domain.statuses import DepositStatus


@dataclass(frozen=True)
class CheckoutRequest:
    """Everything a Checkout Session is created from; stored first so a retry sends identical params."""

    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    amount_minor: int
    currency: str
    description: str
    expires_at: datetime
    language: str | None = None  # the client's: Checkout's locale and the line item's name


@dataclass(frozen=True)
class SessionSnapshot:
    """A Checkout Session as Stripe reported it at one moment (webhook payload or API response)."""

    session_id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    url: str | None
    payment_intent_id: str | None
    deposit_id: uuid.UUID | None  # from our metadata; None for a session we did not create


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    amount_minor: int
    currency: str


def status_of(session: SessionSnapshot, *, async_payment_failed: bool = False) -> DepositStatus:
    """The deposit state a session snapshot means.

    A completed session whose payment is still `unpaid` used a delayed method (bank debit): the money
    arrives, or not, with a later `async_payment_succeeded|failed` event.
    """
    if session.status == "expired":
        return DepositStatus.EXPIRED
    if session.status == "complete":
        if session.payment_status in {"paid", "no_payment_required"}:
            return DepositStatus.PAID
        return DepositStatus.FAILED if async_payment_failed else DepositStatus.PROCESSING
    return DepositStatus.OPEN


def metadata_deposit_id(metadata: dict[str, str] | None) -> uuid.UUID | None:
    raw = (metadata or {}).get("deposit_id")
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None
