"""The real Stripe adapter: the official SDK's async path (its httpx client), base URL configurable.

`STRIPE_API_BASE` points it at Stripe, at the sandbox hub or at a test's fake; the SDK retries network
failures and 409/5xx answers itself, which is safe because every POST that creates something carries an
idempotency key derived from the deposit id.
"""

from __future__ import annotations

import uuid

import stripe
from stripe.checkout import Session
from stripe.params import RefundCreateParams
from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItemPriceDataProductData

from inkline_payments.adapters.gateway import ExpiryRejectedError, metadata_of, refund_idempotency_key
from inkline_payments.domain.checkout import (
    CheckoutRequest,
    RefundResult,
    SessionSnapshot,
    metadata_deposit_id,
)
from inkline_payments.domain.client_copy import ClientCopy, checkout_locale


class StripeCheckout:
    def __init__(
        self,
        *,
        api_key: str,
        api_base: str,
        success_url: str | None = None,
        cancel_url: str | None = None,
        max_network_retries: int = 2,
        timeout_seconds: float = 20.0,
    ) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base.rstrip("/")},
            http_client=self._http,
            max_network_retries=max_network_retries,
        )
        self._success_url = success_url
        self._cancel_url = cancel_url

    async def create_checkout_session(self, request: CheckoutRequest) -> SessionSnapshot:
        metadata = metadata_of(request)
        copy = ClientCopy.of(request.language)
        product: SessionCreateParamsLineItemPriceDataProductData = {"name": copy.text("product_name")}
        if request.description.strip():
            product["description"] = request.description.strip()[:500]
        params: SessionCreateParams = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_minor,
                        "product_data": product,
                    },
                    "quantity": 1,
                }
            ],
            "client_reference_id": str(request.deposit_id),
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "expires_at": int(request.expires_at.timestamp()),
            # Checkout's own buttons and labels in the client's language, not their browser's guess.
            "locale": checkout_locale(request.language),
        }
        if self._success_url:
            params["success_url"] = self._success_url
        if self._cancel_url:
            params["cancel_url"] = self._cancel_url
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params, {"idempotency_key": str(request.deposit_id)}
            )
        except stripe.InvalidRequestError as exc:
            if exc.param == "expires_at":
                raise ExpiryRejectedError(str(exc)) from exc
            raise
        return snapshot(session)

    async def retrieve_session(self, session_id: str) -> SessionSnapshot:
        return snapshot(await self._client.v1.checkout.sessions.retrieve_async(session_id))

    async def expire_session(self, session_id: str) -> SessionSnapshot:
        try:
            return snapshot(await self._client.v1.checkout.sessions.expire_async(session_id))
        except stripe.InvalidRequestError as exc:
            # Stripe answers 400 when the session is no longer open (paid, or already expired): the
            # session's current state is then the answer, not an error.
            if exc.code == "resource_missing":
                raise
            return await self.retrieve_session(session_id)

    async def refund(self, *, payment_intent_id: str, deposit_id: uuid.UUID, reason: str) -> RefundResult:
        params: RefundCreateParams = {
            "payment_intent": payment_intent_id,
            "metadata": {"deposit_id": str(deposit_id), "reason": reason[:500]},
        }
        try:
            refund = await self._client.v1.refunds.create_async(
                params, {"idempotency_key": refund_idempotency_key(deposit_id)}
            )
        except stripe.InvalidRequestError as exc:
            # Refunded already, e.g. by the artist from Stripe's dashboard: report that refund.
            if exc.code == "charge_already_refunded" and (
                existing := await self.latest_refund(payment_intent_id)
            ):
                return existing
            raise
        return RefundResult(refund.id, refund.amount, refund.currency.upper())

    async def latest_refund(self, payment_intent_id: str) -> RefundResult | None:
        page = await self._client.v1.refunds.list_async({"payment_intent": payment_intent_id, "limit": 1})
        if not page.data:
            return None
        refund = page.data[0]
        return RefundResult(refund.id, refund.amount, refund.currency.upper())

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]


def snapshot(session: Session) -> SessionSnapshot:
    intent = session.payment_intent
    metadata = session.metadata.to_dict() if session.metadata is not None else {}
    return SessionSnapshot(
        session_id=session.id,
        status=session.status or "open",
        payment_status=session.payment_status,
        url=session.url,
        payment_intent_id=intent if isinstance(intent, str) or intent is None else intent.id,
        deposit_id=metadata_deposit_id({str(k): str(v) for k, v in metadata.items()}),
    )
