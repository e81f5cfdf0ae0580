"""Refunds: a paid deposit whose slot was lost (`booking.conflict`), or the artist's decision
(`deposit.refund_requested`). One refund per deposit, however often it is asked for."""

from __future__ import annotations

import uuid

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConflict
from inkline_contracts.events.deposit import RequestRefund
from inkline_payments.adapters.gateway import StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.deposit_changes import alert, apply_refund
from inkline_payments.db.models import Deposit
from inkline_payments.domain.statuses import DepositStatus
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)


class BookingConflictHandler:
    """Refunds a deposit paid for a slot that could not be booked."""

    def __init__(self, *, gateway: StripeGateway) -> None:
        self._gateway = gateway

    async def __call__(self, work: UnitOfWork, envelope: Envelope[BookingConflict]) -> None:
        deposit = await deposits.by_id(work.session, envelope.payload.deposit_id)
        await _refund(
            work,
            self._gateway,
            deposit,
            lead_id=envelope.payload.lead_id,
            reason=f"booking conflict: {envelope.payload.reason}",
            causation_id=envelope.message_id,
        )


class RequestRefundHandler:
    """Refunds a deposit at the artist's request (the lead's latest paid deposit when none is named)."""

    def __init__(self, *, gateway: StripeGateway) -> None:
        self._gateway = gateway

    async def __call__(self, work: UnitOfWork, envelope: Envelope[RequestRefund]) -> None:
        request = envelope.payload
        if request.deposit_id is not None:
            deposit = await deposits.by_id(work.session, request.deposit_id)
        else:
            deposit = await deposits.latest_paid_for_lead(work.session, request.lead_id)
        await _refund(
            work,
            self._gateway,
            deposit,
            lead_id=request.lead_id,
            reason=request.reason,
            causation_id=envelope.message_id,
        )


async def _refund(
    work: UnitOfWork,
    gateway: StripeGateway,
    deposit: Deposit | None,
    *,
    lead_id: uuid.UUID,
    reason: str,
    causation_id: uuid.UUID,
) -> None:
    if deposit is not None and deposit.status == DepositStatus.REFUNDED:
        log.info("deposit_already_refunded", deposit_id=str(deposit.id))
        return
    if deposit is None or deposit.status != DepositStatus.PAID or deposit.payment_intent_id is None:
        alert(
            work,
            kind="refund_without_payment",
            message="A refund was asked for, but there is no paid deposit to refund.",
            correlation_id=str(lead_id),
            causation_id=causation_id,
            details={
                "lead_id": str(lead_id),
                "deposit_id": str(deposit.id) if deposit else "",
                "status": deposit.status if deposit else "unknown",
                "reason": reason[:500],
            },
        )
        return
    refund = await gateway.refund(
        payment_intent_id=deposit.payment_intent_id, deposit_id=deposit.id, reason=reason
    )
    apply_refund(work, deposit, refund, causation_id=causation_id)
