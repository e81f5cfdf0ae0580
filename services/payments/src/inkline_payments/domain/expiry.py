"""When a deposit link stops working: with its hold, within the window Stripe accepts."""

from __future__ import annotations

from datetime import datetime, timedelta

# Stripe refuses `expires_at` less than 30 minutes or more than 24 hours after it creates the session.
# The margins absorb the time between our computation and Stripe's, and clock skew between the two.
STRIPE_MIN = timedelta(minutes=30)
STRIPE_MAX = timedelta(hours=24)
MARGIN = timedelta(minutes=2)


def session_expiry(*, hold_expires_at: datetime, now: datetime) -> datetime | None:
    """The session's `expires_at` for a hold; None when the hold has already expired (no link to send).

    A hold shorter than Stripe's minimum gets the minimum: the session is expired through the API when
    the hold expires, so the extra minutes are never payable.
    """
    if hold_expires_at <= now:
        return None
    earliest = now + STRIPE_MIN + MARGIN
    latest = now + STRIPE_MAX - MARGIN
    return min(max(hold_expires_at, earliest), latest).replace(microsecond=0)
