"""`/api/deposits`: a lead's deposits for the studio, and the artist's refund of a paid one.

Behind `Authorization: Bearer <PAYMENTS_ADMIN_TOKEN>`. A refund follows the rules of every other refund
here (handlers/refunds.py): only a paid deposit, once, under its row lock, with Stripe's idempotency key
of the deposit, so a double click or a retry after a lost answer refunds nothing twice; a refusal says
why and changes nothing. The refund is published as `deposit.refunded`, which tells the client.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import stripe
import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, SecretStr
from sqlalchemy import select

from inkline_payments.adapters.gateway import StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.deposit_changes import apply_refund
from inkline_payments.db.models import Deposit
from inkline_payments.domain.statuses import DepositStatus
from inkline_platform.credentials import credential_matches
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)
BEARER = HTTPBearer(auto_error=False, description="PAYMENTS_ADMIN_TOKEN")
# One page of the studio's leads board at most.
LEADS_PER_CALL = 200
REFUND_REASON = "refunded by the artist in the studio"


class DepositOut(BaseModel):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    status: str
    amount_minor: int
    currency: str
    paid_at: datetime | None
    created_at: datetime
    # Paid and not refunded: the one state a refund may start from.
    refundable: bool


def _out(deposit: Deposit) -> DepositOut:
    return DepositOut(
        deposit_id=deposit.id,
        lead_id=deposit.lead_id,
        status=deposit.status,
        amount_minor=deposit.amount_minor,
        currency=deposit.currency,
        paid_at=deposit.paid_at,
        created_at=deposit.created_at,
        refundable=_refundable(deposit),
    )


def _refundable(deposit: Deposit) -> bool:
    return deposit.status == DepositStatus.PAID and deposit.payment_intent_id is not None


def _bearer_guard(expected: SecretStr) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    def require(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
        if credentials is None or not credential_matches(
            credentials.credentials, expected.get_secret_value()
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="a valid admin token is required: Authorization: Bearer <PAYMENTS_ADMIN_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return require


def deposits_api_router(*, uow: UnitOfWorkFactory, gateway: StripeGateway, token: SecretStr) -> APIRouter:
    router = APIRouter(
        prefix="/api/deposits", tags=["deposits"], dependencies=[Depends(_bearer_guard(token))]
    )

    @router.get("")
    async def list_deposits(
        lead_ids: Annotated[list[uuid.UUID], Query(alias="lead_id", max_length=LEADS_PER_CALL)],
    ) -> list[DepositOut]:
        """The deposits of the named leads (`lead_id`, repeatable), newest first."""
        query = (
            select(Deposit)
            .where(Deposit.lead_id.in_(lead_ids))
            .order_by(Deposit.created_at.desc(), Deposit.id)
        )
        async with uow() as work:
            return [_out(deposit) for deposit in await work.session.scalars(query)]

    @router.post("/{deposit_id}/refund")
    async def refund(deposit_id: uuid.UUID) -> DepositOut:
        """Refund a paid deposit in full; 409 with the reason when it is not paid or already refunded."""
        async with uow() as work:
            deposit = await deposits.by_id(work.session, deposit_id, lock=True)
            if deposit is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no deposit {deposit_id}")
            if deposit.status == DepositStatus.REFUNDED:
                raise HTTPException(status.HTTP_409_CONFLICT, detail="This deposit was refunded already.")
            if not _refundable(deposit):
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"This deposit is {_words(deposit.status)}, so there is nothing to refund.",
                )
            assert deposit.payment_intent_id is not None  # _refundable says so
            try:
                result = await gateway.refund(
                    payment_intent_id=deposit.payment_intent_id, deposit_id=deposit.id, reason=REFUND_REASON
                )
            except stripe.StripeError as exc:
                log.warning("studio_refund_failed", deposit_id=str(deposit_id), error=type(exc).__name__)
                raise HTTPException(
                    status.HTTP_502_BAD_GATEWAY, detail="Stripe did not take the refund; try again."
                ) from None
            apply_refund(work, deposit, result)
            await work.commit()
            log.info("studio_refund_done", deposit_id=str(deposit_id), lead_id=str(deposit.lead_id))
            return _out(deposit)

    return router


_STATUS_WORDS = {
    DepositStatus.CREATING: "still being created",
    DepositStatus.OPEN: "not paid yet",
    DepositStatus.PROCESSING: "still being processed by the bank",
    DepositStatus.EXPIRED: "expired unpaid",
    DepositStatus.FAILED: "failed",
}


def _words(deposit_status: str) -> str:
    return _STATUS_WORDS.get(DepositStatus(deposit_status), deposit_status)
