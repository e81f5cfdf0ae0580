"""The payments service's `/api/deposits` (bearer token): the deposits of the leads on the board, and the
artist's refund of a paid one (single use: payments refuses a second with the reason)."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import call


class Deposit(BaseModel):
    deposit_id: uuid.UUID
    lead_id: uuid.UUID
    status: str
    amount_minor: int
    currency: str
    paid_at: datetime | None
    created_at: datetime
    refundable: bool


_DEPOSITS = TypeAdapter(list[Deposit])


class PaymentsApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def deposits(self, lead_ids: list[uuid.UUID]) -> list[Deposit]:
        """The leads' deposits, newest first."""
        if not lead_ids:
            return []
        body = await call(
            self._client, "GET", "/api/deposits", params={"lead_id": [str(i) for i in lead_ids]}
        )
        return _DEPOSITS.validate_python(body)

    async def refund(self, deposit_id: uuid.UUID) -> Deposit:
        """ServiceRefusedError (409) when it is not paid or was refunded already, with the reason."""
        return Deposit.model_validate(await call(self._client, "POST", f"/api/deposits/{deposit_id}/refund"))
