"""A deposit's life, and the only moves it may make.

Stripe delivers webhooks at least once and in any order, and reconciliation reads the session at any
moment, so every observation is a *target* state: it is applied only if the table below allows the move
from where the deposit is now. A late, stale observation (an `open` session after `paid`) is a no-op.
"""

from __future__ import annotations

from enum import StrEnum


class DepositStatus(StrEnum):
    CREATING = "creating"  # recorded; Stripe has not yet confirmed a Checkout Session
    OPEN = "open"  # the link is out; the client has not paid
    PROCESSING = "processing"  # checkout completed with a delayed method; the money is not there yet
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    REFUNDED = "refunded"


_MOVES: dict[DepositStatus, frozenset[DepositStatus]] = {
    DepositStatus.CREATING: frozenset(
        {
            DepositStatus.OPEN,
            DepositStatus.PROCESSING,
            DepositStatus.PAID,
            DepositStatus.EXPIRED,
            DepositStatus.FAILED,
        }
    ),
    DepositStatus.OPEN: frozenset(
        {DepositStatus.PROCESSING, DepositStatus.PAID, DepositStatus.EXPIRED, DepositStatus.FAILED}
    ),
    DepositStatus.PROCESSING: frozenset({DepositStatus.PAID, DepositStatus.FAILED}),
    DepositStatus.PAID: frozenset({DepositStatus.REFUNDED}),
    DepositStatus.EXPIRED: frozenset(),
    DepositStatus.FAILED: frozenset(),
    DepositStatus.REFUNDED: frozenset(),
}

# Still waiting on Stripe: reconciliation looks at these once their session should have ended.
PENDING = frozenset({DepositStatus.OPEN, DepositStatus.PROCESSING})


def can_move(current: DepositStatus, target: DepositStatus) -> bool:
    """True when `target` is a step forward from `current`; staying put is not a move."""
    return target in _MOVES[current]
