"""Time-limited holds on a slot and the lifecycle a hold follows into a booking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from inkline_calendar.domain.intervals import UtcInterval, require_aware


class ReservationState(StrEnum):
    HELD = "held"
    BOOKED = "booked"
    EXPIRED = "expired"
    RELEASED = "released"
    CANCELLED = "cancelled"
    # A booking that moved onto another row (a reschedule); the row it moved to carries the booking now.
    MOVED = "moved"


# The whole lifecycle in one place: a hold becomes a booking when the deposit is paid,
# lapses when its TTL runs out, or is let go; only a booking can be cancelled or moved.
TRANSITIONS: Mapping[ReservationState, frozenset[ReservationState]] = MappingProxyType(
    {
        ReservationState.HELD: frozenset(
            {ReservationState.BOOKED, ReservationState.EXPIRED, ReservationState.RELEASED}
        ),
        ReservationState.BOOKED: frozenset({ReservationState.CANCELLED, ReservationState.MOVED}),
        ReservationState.EXPIRED: frozenset(),
        ReservationState.RELEASED: frozenset(),
        ReservationState.CANCELLED: frozenset(),
        ReservationState.MOVED: frozenset(),
    }
)


# The name is the one the plumbing side was promised; renaming it to appease N818 would break that.
class InvalidTransition(ValueError):  # noqa: N818
    def __init__(self, current: ReservationState, target: ReservationState) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing"
        super().__init__(f"cannot move a {current} reservation to {target}; {current} may become {allowed}")
        self.current = current
        self.target = target


def transition(current: ReservationState, target: ReservationState) -> ReservationState:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)
    return target


@dataclass(frozen=True)
class HoldPolicy:
    ttl: timedelta

    def __post_init__(self) -> None:
        if self.ttl <= timedelta(0):
            raise ValueError(f"hold TTL must be positive, got {self.ttl}")

    def expires_at(self, placed_at: datetime) -> datetime:
        return require_aware(placed_at, name="placed_at") + self.ttl


@dataclass(frozen=True)
class Reservation:
    """A slot that is held for a lead or booked for a client."""

    slot: UtcInterval
    state: ReservationState
    expires_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "expires_at", require_aware(self.expires_at, name="expires_at"))

    @classmethod
    def place_hold(cls, slot: UtcInterval, *, policy: HoldPolicy, now: datetime) -> Reservation:
        return cls(slot=slot, state=ReservationState.HELD, expires_at=policy.expires_at(now))

    def moved_to(self, target: ReservationState) -> Reservation:
        return replace(self, state=transition(self.state, target))

    def is_active_hold(self, at: datetime) -> bool:
        """Held and within its TTL; the expiry instant itself is already too late."""
        return self.state is ReservationState.HELD and require_aware(at, name="at") < self.expires_at

    def blocks_slot(self, at: datetime) -> bool:
        return self.state is ReservationState.BOOKED or self.is_active_hold(at)


def blocking_intervals(reservations: Iterable[Reservation], *, at: datetime) -> tuple[UtcInterval, ...]:
    """The slots that must count as busy at ``at``: bookings and holds still inside their TTL."""
    return tuple(reservation.slot for reservation in reservations if reservation.blocks_slot(at))


@dataclass(frozen=True)
class Rehold:
    """The deposit arrived late but the slot is still free: hold it again, then book it."""

    slot: UtcInterval
    expires_at: datetime


@dataclass(frozen=True)
class Conflict:
    """The deposit arrived late and someone else has the slot: refund or rebook by hand."""

    slot: UtcInterval


class NotAnExpiredHoldError(ValueError):
    """A late-payment decision was asked for something other than a lapsed hold."""


def decide_paid_after_expiry(
    *, hold: Reservation, slot_is_free: bool, policy: HoldPolicy, now: datetime
) -> Rehold | Conflict:
    """What to do with a deposit that lands after its hold lapsed.

    A hold still inside its TTL is booked normally, so asking about one is a caller bug.
    """
    if hold.is_active_hold(now):
        raise NotAnExpiredHoldError(
            f"hold until {hold.expires_at.isoformat()} is still active; book it directly"
        )
    if hold.state not in {ReservationState.HELD, ReservationState.EXPIRED}:
        raise NotAnExpiredHoldError(f"a {hold.state} reservation is not an expired hold")
    if slot_is_free:
        return Rehold(slot=hold.slot, expires_at=policy.expires_at(now))
    return Conflict(slot=hold.slot)
