"""Stripe's webhook signature scheme, for the fake's deliveries and for tests that forge or age signatures.

``Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>" keyed by the endpoint secret>``
(the scheme `stripe.WebhookSignature.verify_header` checks; the SDK decodes the body as UTF-8 first).
"""

from __future__ import annotations

import hashlib
import hmac
import time


def signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header value for `payload`; pass an old `timestamp` to forge a stale one."""
    at = int(time.time()) if timestamp is None else timestamp
    return f"t={at},v1={signature(payload, secret, at)}"
