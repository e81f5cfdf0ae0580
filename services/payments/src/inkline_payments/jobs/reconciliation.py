"""Reconciliation: a lost webhook never loses a paid deposit.

Deposits still pending after their session should have ended are checked against Stripe, and what Stripe
says is applied exactly as a webhook would apply it (the same state table, the same events).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog

from inkline_payments.adapters.gateway import StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.deposit_changes import apply_session
from inkline_payments.domain.statuses import PENDING, DepositStatus
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class Reconciler:
    def __init__(
        self,
        *,
        gateway: StripeGateway,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime],
        recheck_after: timedelta,
        batch_size: int = 50,
    ) -> None:
        self._gateway = gateway
        self._uow = uow
        self._clock = clock
        self._recheck_after = recheck_after
        self._batch_size = batch_size

    async def run(self) -> None:
        """One pass over the pending deposits that are due; one deposit's failure does not stop the rest."""
        now = self._clock()
        async with self._uow() as work:
            due = await deposits.due_for_reconciliation(
                work.session, now=now, recheck_before=now - self._recheck_after, limit=self._batch_size
            )
        for deposit_id in due:
            try:
                await self._reconcile(deposit_id)
            except Exception as exc:
                log.error("reconciliation_failed", deposit_id=str(deposit_id), error=repr(exc))

    async def _reconcile(self, deposit_id: uuid.UUID) -> None:
        async with self._uow() as work:
            deposit = await deposits.by_id(work.session, deposit_id)
            if deposit is None or DepositStatus(deposit.status) not in PENDING:
                return  # a webhook settled it meanwhile
            assert deposit.checkout_session_id is not None
            session = await self._gateway.retrieve_session(deposit.checkout_session_id)
            now = self._clock()
            if apply_session(work, deposit, session, now=now):
                log.warning("deposit_reconciled", deposit_id=str(deposit.id), status=deposit.status)
            deposit.last_reconciled_at = now
            await work.commit()
