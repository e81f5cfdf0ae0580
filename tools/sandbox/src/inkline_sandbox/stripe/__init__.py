"""Local stand-in for the Stripe API: Checkout Sessions, Refunds, a hosted checkout page, signed webhooks."""

from inkline_sandbox.stripe.app import create_stripe_app
from inkline_sandbox.stripe.delivery import DeliveryAttempt, WebhookEndpoint
from inkline_sandbox.stripe.errors import StripeError
from inkline_sandbox.stripe.events import RequestContext
from inkline_sandbox.stripe.signing import sign
from inkline_sandbox.stripe.state import StripeState

__all__ = [
    "DeliveryAttempt",
    "RequestContext",
    "StripeError",
    "StripeState",
    "WebhookEndpoint",
    "create_stripe_app",
    "sign",
]
