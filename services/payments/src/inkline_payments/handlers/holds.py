"""`hold.expired` → expire the deposit's open Checkout Session, so a released slot cannot be paid for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.hold import HoldExpired
from inkline_payments.adapters.gateway import StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.deposit_changes import apply_session
from inkline_payments.domain.statuses import DepositStatus
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)


class HoldExpiredHandler:
    """Expires the open Checkout Session of the expired hold's deposit."""

    def __init__(self, *, gateway: StripeGateway, clock: Callable[[], datetime]) -> None:
        self._gateway = gateway
        self._clock = clock

    async def __call__(self, work: UnitOfWork, envelope: Envelope[HoldExpired]) -> None:
        deposit = await deposits.latest_for_hold(work.session, envelope.payload.hold_id)
        if deposit is None or deposit.status != DepositStatus.OPEN or deposit.checkout_session_id is None:
            # No link is out: none was requested, it is already settled, or its request has not been
            # handled yet (that request sees the hold's expiry and sends no link).
            log.info("hold_expired_nothing_to_expire", hold_id=str(envelope.payload.hold_id))
            return
        # A payment that raced through comes back as a paid session: recorded as paid, and calendar's
        # paid-after-expiry path decides what happens to the slot.
        session = await self._gateway.expire_session(deposit.checkout_session_id)
        apply_session(work, deposit, session, now=self._clock(), causation_id=envelope.message_id)
