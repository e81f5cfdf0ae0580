from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from inkline_calendar.domain.holds import (
    TRANSITIONS,
    Conflict,
    HoldPolicy,
    InvalidTransition,
    NotAnExpiredHoldError,
    Rehold,
    Reservation,
    ReservationState,
    blocking_intervals,
    decide_paid_after_expiry,
    transition,
)
from inkline_calendar.domain.intervals import UtcInterval

PLACED = datetime(2026, 5, 4, 12, tzinfo=UTC)
POLICY = HoldPolicy(ttl=timedelta(minutes=30))
SLOT = UtcInterval(datetime(2026, 5, 12, 9, tzinfo=UTC), datetime(2026, 5, 12, 11, tzinfo=UTC))
ALLOWED = {
    (ReservationState.HELD, ReservationState.BOOKED),
    (ReservationState.HELD, ReservationState.EXPIRED),
    (ReservationState.HELD, ReservationState.RELEASED),
    (ReservationState.BOOKED, ReservationState.CANCELLED),
    (ReservationState.BOOKED, ReservationState.MOVED),
}


def held() -> Reservation:
    return Reservation.place_hold(SLOT, policy=POLICY, now=PLACED)


def test_a_hold_expires_one_ttl_after_it_is_placed() -> None:
    assert POLICY.expires_at(PLACED) == datetime(2026, 5, 4, 12, 30, tzinfo=UTC)
    assert held().expires_at == datetime(2026, 5, 4, 12, 30, tzinfo=UTC)


def test_expiry_is_reported_in_utc_whatever_zone_the_placement_time_was_given_in() -> None:
    placed_in_new_york = datetime.fromisoformat("2026-05-04T08:00:00-04:00")
    assert POLICY.expires_at(placed_in_new_york) == datetime(2026, 5, 4, 12, 30, tzinfo=UTC)


def test_a_hold_is_active_until_just_before_its_expiry_instant() -> None:
    hold = held()
    assert hold.is_active_hold(PLACED)
    assert hold.is_active_hold(datetime(2026, 5, 4, 12, 29, 59, tzinfo=UTC))
    assert not hold.is_active_hold(datetime(2026, 5, 4, 12, 30, tzinfo=UTC))


def test_a_released_hold_is_not_active_even_within_its_ttl() -> None:
    assert not held().moved_to(ReservationState.RELEASED).is_active_hold(PLACED)


def test_a_hold_policy_needs_a_positive_ttl() -> None:
    with pytest.raises(ValueError, match="hold TTL must be positive"):
        HoldPolicy(ttl=timedelta(0))


def test_a_naive_placement_time_is_refused() -> None:
    with pytest.raises(ValueError, match="placed_at must be timezone-aware"):
        POLICY.expires_at(datetime(2026, 5, 4, 12))


def test_the_transition_table_allows_exactly_the_documented_moves() -> None:
    table = {(current, target) for current, targets in TRANSITIONS.items() for target in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(ReservationState)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_moves_reach_their_target(current: ReservationState, target: ReservationState) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    sorted(set(product(ReservationState, ReservationState)) - ALLOWED),
)
def test_every_other_move_is_an_invalid_transition(
    current: ReservationState, target: ReservationState
) -> None:
    with pytest.raises(InvalidTransition) as raised:
        transition(current, target)
    assert (raised.value.current, raised.value.target) == (current, target)


def test_an_invalid_transition_says_what_was_possible() -> None:
    with pytest.raises(
        InvalidTransition, match="cannot move a booked reservation to expired; booked may become cancelled"
    ):
        transition(ReservationState.BOOKED, ReservationState.EXPIRED)
    with pytest.raises(InvalidTransition, match="expired may become nothing"):
        transition(ReservationState.EXPIRED, ReservationState.BOOKED)


def test_a_booked_hold_can_be_cancelled_but_not_booked_again() -> None:
    booked = held().moved_to(ReservationState.BOOKED)
    assert booked.moved_to(ReservationState.CANCELLED).state is ReservationState.CANCELLED
    with pytest.raises(InvalidTransition):
        booked.moved_to(ReservationState.BOOKED)


def test_only_bookings_and_live_holds_block_their_slots() -> None:
    later_slot = UtcInterval(SLOT.end, SLOT.end + timedelta(hours=2))
    live_hold = held()
    lapsed_hold = Reservation.place_hold(later_slot, policy=POLICY, now=PLACED - timedelta(hours=1))
    booking = Reservation.place_hold(later_slot, policy=POLICY, now=PLACED - timedelta(days=1)).moved_to(
        ReservationState.BOOKED
    )
    cancelled = booking.moved_to(ReservationState.CANCELLED)
    released = held().moved_to(ReservationState.RELEASED)
    blocking = blocking_intervals([live_hold, lapsed_hold, booking, cancelled, released], at=PLACED)
    assert blocking == (SLOT, later_slot)


def test_a_late_deposit_for_a_still_free_slot_reholds_it_for_a_fresh_ttl() -> None:
    paid_at = datetime(2026, 5, 4, 13, tzinfo=UTC)
    expired = held().moved_to(ReservationState.EXPIRED)
    decision = decide_paid_after_expiry(hold=expired, slot_is_free=True, policy=POLICY, now=paid_at)
    assert decision == Rehold(slot=SLOT, expires_at=datetime(2026, 5, 4, 13, 30, tzinfo=UTC))


def test_a_late_deposit_for_a_slot_taken_meanwhile_is_a_conflict() -> None:
    expired = held().moved_to(ReservationState.EXPIRED)
    decision = decide_paid_after_expiry(
        hold=expired, slot_is_free=False, policy=POLICY, now=datetime(2026, 5, 4, 13, tzinfo=UTC)
    )
    assert decision == Conflict(slot=SLOT)


def test_a_lapsed_hold_not_yet_swept_to_expired_is_treated_as_expired() -> None:
    decision = decide_paid_after_expiry(
        hold=held(), slot_is_free=True, policy=POLICY, now=datetime(2026, 5, 4, 12, 30, tzinfo=UTC)
    )
    assert decision == Rehold(slot=SLOT, expires_at=datetime(2026, 5, 4, 13, tzinfo=UTC))


def test_asking_about_a_live_hold_is_refused_because_it_should_simply_be_booked() -> None:
    with pytest.raises(NotAnExpiredHoldError, match="still active; book it directly"):
        decide_paid_after_expiry(hold=held(), slot_is_free=True, policy=POLICY, now=PLACED)


def test_asking_about_a_released_hold_is_refused() -> None:
    released = held().moved_to(ReservationState.RELEASED)
    with pytest.raises(NotAnExpiredHoldError, match="a released reservation is not an expired hold"):
        decide_paid_after_expiry(
            hold=released, slot_is_free=True, policy=POLICY, now=PLACED + timedelta(hours=1)
        )
