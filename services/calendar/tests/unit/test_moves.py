import uuid
from datetime import UTC, datetime, timedelta

import pytest

from inkline_calendar.domain.holds import Reservation, ReservationState
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.moves import LeadReservation, MoveRejection, move_rejection

NOW = datetime(2027, 3, 22, 8, tzinfo=UTC)
LEAD = uuid.uuid4()
OLD = UtcInterval(NOW + timedelta(days=1), NOW + timedelta(days=1, hours=4))
NEW = UtcInterval(NOW + timedelta(days=2), NOW + timedelta(days=2, hours=4))


def booking(state: ReservationState = ReservationState.BOOKED, lead: uuid.UUID = LEAD) -> LeadReservation:
    return LeadReservation(lead, Reservation(slot=OLD, state=state, expires_at=NOW - timedelta(days=1)))


def hold(
    state: ReservationState = ReservationState.HELD,
    lead: uuid.UUID = LEAD,
    expires_at: datetime = NOW + timedelta(minutes=30),
) -> LeadReservation:
    return LeadReservation(lead, Reservation(slot=NEW, state=state, expires_at=expires_at))


def test_a_live_booking_may_move_onto_the_same_leads_live_hold() -> None:
    assert move_rejection(lead_id=LEAD, booking=booking(), hold=hold(), now=NOW) is None


@pytest.mark.parametrize(
    ("the_booking", "the_hold", "now", "reason"),
    [
        (None, hold(), NOW, MoveRejection.BOOKING_NOT_FOUND),
        (booking(ReservationState.CANCELLED), hold(), NOW, MoveRejection.BOOKING_CANCELLED),
        (booking(lead=uuid.uuid4()), hold(), NOW, MoveRejection.BOOKING_OF_ANOTHER_LEAD),
        (booking(), hold(), OLD.start, MoveRejection.BOOKING_STARTED),
        (booking(), None, NOW, MoveRejection.HOLD_NOT_FOUND),
        (booking(), hold(lead=uuid.uuid4()), NOW, MoveRejection.HOLD_OF_ANOTHER_LEAD),
        (booking(), hold(ReservationState.RELEASED), NOW, MoveRejection.HOLD_NOT_HELD),
        (booking(), hold(expires_at=NOW), NOW, MoveRejection.HOLD_EXPIRED),
    ],
)
def test_a_move_that_cannot_be_made_names_the_first_reason(
    the_booking: LeadReservation | None,
    the_hold: LeadReservation | None,
    now: datetime,
    reason: MoveRejection,
) -> None:
    assert move_rejection(lead_id=LEAD, booking=the_booking, hold=the_hold, now=now) is reason


def test_asking_about_a_row_that_is_not_a_booking_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="not a booking"):
        move_rejection(lead_id=LEAD, booking=booking(ReservationState.HELD), hold=hold(), now=NOW)
