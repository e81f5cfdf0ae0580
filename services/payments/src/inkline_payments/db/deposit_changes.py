"""Moving a deposit to a new state and publishing what that means, in the caller's unit of work.

Every path (webhook, consumer, reconciliation) ends here, so a deposit reaches each state once and its
event is published once, whoever saw it first.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog

from inkline_contracts import subjects
from inkline_contracts.base import Money
from inkline_contracts.events.deposit import DepositExpired, DepositFailed, DepositPaid, DepositRefunded
from inkline_contracts.events.system import Severity, SystemAlert
from inkline_payments import SERVICE
from inkline_payments.db.models import Deposit
from inkline_payments.domain.checkout import RefundResult, SessionSnapshot, status_of
from inkline_payments.domain.statuses import DepositStatus, can_move
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)


def apply_session(
    work: UnitOfWork,
    deposit: Deposit,
    session: SessionSnapshot,
    *,
    now: datetime,
    causation_id: uuid.UUID | None = None,
    async_payment_failed: bool = False,
) -> bool:
    """Apply what Stripe says about the deposit's session; False when it is stale or changes nothing."""
    target = status_of(session, async_payment_failed=async_payment_failed)
    current = DepositStatus(deposit.status)
    if not can_move(current, target):
        if target != current:
            log.info("stale_session_state_ignored", deposit_id=str(deposit.id), current=current, seen=target)
        return False
    deposit.status = target.value
    deposit.checkout_session_id = deposit.checkout_session_id or session.session_id
    if session.payment_intent_id:
        deposit.payment_intent_id = session.payment_intent_id
    correlation_id = str(deposit.lead_id)
    if target is DepositStatus.PAID:
        deposit.paid_at = now
        work.publish(
            subjects.DEPOSIT_PAID,
            DepositPaid(
                deposit_id=deposit.id,
                lead_id=deposit.lead_id,
                hold_id=deposit.hold_id,
                amount=_amount(deposit),
                paid_at=now,
                checkout_session_id=session.session_id,
                payment_intent_id=session.payment_intent_id,
            ),
            correlation_id=correlation_id,
            causation_id=causation_id,
        )
    elif target is DepositStatus.EXPIRED:
        publish_expired(work, deposit, causation_id=causation_id)
    elif target is DepositStatus.FAILED:
        deposit.failure_reason = "async_payment_failed"
        work.publish(
            subjects.DEPOSIT_FAILED,
            DepositFailed(
                deposit_id=deposit.id,
                lead_id=deposit.lead_id,
                hold_id=deposit.hold_id,
                reason=deposit.failure_reason,
            ),
            correlation_id=correlation_id,
            causation_id=causation_id,
        )
    log.info("deposit_moved", deposit_id=str(deposit.id), status=target.value, previous=current.value)
    return True


def apply_refund(
    work: UnitOfWork, deposit: Deposit, refund: RefundResult, *, causation_id: uuid.UUID | None = None
) -> bool:
    """Record a refund of a paid deposit; False when it was recorded before."""
    if not can_move(DepositStatus(deposit.status), DepositStatus.REFUNDED):
        return False
    deposit.status = DepositStatus.REFUNDED.value
    deposit.refund_id = refund.refund_id
    work.publish(
        subjects.DEPOSIT_REFUNDED,
        DepositRefunded(
            deposit_id=deposit.id,
            lead_id=deposit.lead_id,
            amount=Money(amount_minor=refund.amount_minor, currency=refund.currency),
            refund_id=refund.refund_id,
        ),
        correlation_id=str(deposit.lead_id),
        causation_id=causation_id,
    )
    log.info("deposit_refunded", deposit_id=str(deposit.id), refund_id=refund.refund_id)
    return True


def publish_expired(work: UnitOfWork, deposit: Deposit, *, causation_id: uuid.UUID | None) -> None:
    work.publish(
        subjects.DEPOSIT_EXPIRED,
        DepositExpired(deposit_id=deposit.id, lead_id=deposit.lead_id, hold_id=deposit.hold_id),
        correlation_id=str(deposit.lead_id),
        causation_id=causation_id,
    )


def alert(
    work: UnitOfWork,
    *,
    kind: str,
    message: str,
    correlation_id: str,
    details: dict[str, str],
    causation_id: uuid.UUID | None = None,
    severity: Severity = Severity.WARNING,
) -> None:
    log.warning(kind, message=message, **details)
    work.publish(
        subjects.SYSTEM_ALERT,
        SystemAlert(service=SERVICE, kind=kind, message=message, severity=severity, details=details),
        correlation_id=correlation_id,
        causation_id=causation_id,
    )


def _amount(deposit: Deposit) -> Money:
    return Money(amount_minor=deposit.amount_minor, currency=deposit.currency)
