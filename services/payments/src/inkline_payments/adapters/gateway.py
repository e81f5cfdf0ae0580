"""The port every Stripe call goes through; `stripe_api` implements it against Stripe or its fakes."""

from __future__ import annotations

import uuid
from typing import Protocol

from inkline_payments.domain.checkout import CheckoutRequest, RefundResult, SessionSnapshot


class StripeGateway(Protocol):
    async def create_checkout_session(self, request: CheckoutRequest) -> SessionSnapshot:
        """Create (or, for the same deposit id, get back) the deposit's Checkout Session.

        Raises `ExpiryRejectedError` when Stripe refuses `expires_at` as too close or too far.
        """

    async def retrieve_session(self, session_id: str) -> SessionSnapshot:
        """The session as Stripe sees it now."""

    async def expire_session(self, session_id: str) -> SessionSnapshot:
        """Expire an open session; a session already complete or expired is returned as it is."""

    async def refund(self, *, payment_intent_id: str, deposit_id: uuid.UUID, reason: str) -> RefundResult:
        """Refund the whole payment, once per deposit however often it is asked."""

    async def latest_refund(self, payment_intent_id: str) -> RefundResult | None:
        """The newest refund of a payment (one made from Stripe's dashboard included)."""

    async def aclose(self) -> None:
        """Release connections."""


class ExpiryRejectedError(Exception):
    """Stripe refused the session's `expires_at` (validation: nothing was created or saved)."""


def metadata_of(request: CheckoutRequest) -> dict[str, str]:
    """What ties a Stripe object back to us: on the session and on its PaymentIntent and Charge."""
    return {
        "deposit_id": str(request.deposit_id),
        "lead_id": str(request.lead_id),
        "hold_id": str(request.hold_id),
    }


def refund_idempotency_key(deposit_id: uuid.UUID) -> str:
    return f"refund-{deposit_id}"
