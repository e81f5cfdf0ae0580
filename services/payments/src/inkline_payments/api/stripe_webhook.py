"""`POST /webhooks/stripe`: Stripe's events, verified with the official SDK, each acted on once."""

from __future__ import annotations

from typing import Annotated

import stripe
import structlog
from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import SecretStr, ValidationError

from inkline_payments.db import deposits
from inkline_payments.handlers.stripe_events import HANDLED, StripeEventBody, StripeEventHandler
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


def stripe_webhook_router(
    *, webhook_secret: SecretStr, events: StripeEventHandler, uow: UnitOfWorkFactory
) -> APIRouter:
    router = APIRouter(tags=["stripe"])
    secret = webhook_secret.get_secret_value()

    @router.post("/webhooks/stripe")
    async def receive(
        request: Request, stripe_signature: Annotated[str | None, Header()] = None
    ) -> dict[str, bool]:
        """Checkout Session and refund events from Stripe, signed with the endpoint's secret."""
        body = await request.body()
        if stripe_signature is not None and not stripe_signature.isascii():
            # The SDK compares with hmac.compare_digest, which raises TypeError on non-ASCII text.
            log.warning("stripe_signature_refused", error="Stripe-Signature is not ASCII")
            raise HTTPException(status_code=400, detail="invalid Stripe-Signature")
        try:
            # Verifies the HMAC over the raw bytes and refuses timestamps older than 5 minutes (replays).
            stripe.Webhook.construct_event(body, stripe_signature, secret)
            event = StripeEventBody.model_validate_json(body)
        except stripe.SignatureVerificationError as exc:
            log.warning("stripe_signature_refused", error=str(exc)[:200])
            raise HTTPException(status_code=400, detail="invalid Stripe-Signature") from None
        except (ValueError, ValidationError) as exc:
            log.warning("stripe_payload_malformed", error=str(exc)[:500])
            raise HTTPException(status_code=400, detail="malformed event") from None
        if event.type not in HANDLED:
            return {"received": True}
        async with uow() as work:
            if await deposits.claim_event(work.session, event_id=event.id, event_type=event.type):
                await events(work, event)
            else:
                log.info("stripe_event_duplicate_ignored", event_id=event.id)
            await work.commit()
        return {"received": True}

    return router
