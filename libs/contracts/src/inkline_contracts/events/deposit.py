"""Deposits: Stripe Checkout links tied to holds, and what Stripe told us about them."""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime, Field

from inkline_contracts.base import Contract, Money, SizeCategory, TimeRange


class RequestDeposit(Contract):
    """Command: create a deposit link for a held slot; the link expires with the hold."""

    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    size_category: SizeCategory
    quote: Money | None = Field(default=None, description="artist's quote, for percentage deposits")
    description: str
    expires_at: AwareDatetime
    slot: TimeRange | None = Field(default=None, description="the held session the deposit is for")
    timezone: str | None = Field(default=None, description="IANA zone the session's times are read in")
    language: str | None = Field(
        default=None,
        min_length=2,
        max_length=10,
        description='the client\'s language ("es", "pt"): Checkout and the page after paying speak it',
    )


class DepositLinkCreated(Contract):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    amount: Money
    url: str
    expires_at: AwareDatetime


class DepositPaid(Contract):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    amount: Money
    paid_at: AwareDatetime
    checkout_session_id: str
    payment_intent_id: str | None = None


class DepositExpired(Contract):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID


class DepositFailed(Contract):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID | None = None
    reason: str


class RequestRefund(Contract):
    """Command: refund a paid deposit (booking conflict, or the artist's decision)."""

    deposit_id: uuid.UUID | None = None
    lead_id: uuid.UUID
    reason: str


class DepositRefunded(Contract):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    amount: Money
    refund_id: str
