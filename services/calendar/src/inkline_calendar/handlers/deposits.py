"""deposit.paid turns the hold into a booking; deposit.expired lets the hold go."""

from __future__ import annotations

import uuid

from inkline_calendar.db.availability_store import load_availability_rules
from inkline_calendar.db.models import ARTIST, Reservation
from inkline_calendar.db.reservation_changes import (
    as_domain,
    confirm_booking,
    expire_lapsed_holds,
    time_range,
)
from inkline_calendar.db.reservations import (
    SlotTakenError,
    as_interval,
    insert_reservation,
    lock_reservation,
    move,
    overlapping_active,
    rehold_paid_by,
)
from inkline_calendar.domain.holds import Rehold, ReservationState, decide_paid_after_expiry
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConflict
from inkline_contracts.events.deposit import DepositExpired, DepositPaid
from inkline_contracts.events.hold import HoldReleased
from inkline_platform.uow import UnitOfWork


class UnknownHoldError(LookupError):
    """A deposit names a hold this service never placed; retried, then dead-lettered for a person."""


class DepositPaidHandler:
    """Book the paid hold (booking.confirmed); after expiry re-hold if free, else booking.conflict."""

    def __init__(self, rules: CalendarRules) -> None:
        self._rules = rules

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositPaid]) -> None:
        paid = envelope.payload
        now = self._rules.clock()
        session = work.session
        hold = await lock_reservation(session, paid.hold_id)
        if hold is None:
            raise UnknownHoldError(f"deposit {paid.deposit_id} paid for unknown hold {paid.hold_id}")
        if await self._already_booked(work, hold, paid):
            return
        availability = await load_availability_rules(session, seed_file=self._rules.seed_file)
        state = ReservationState(hold.state)
        if state is ReservationState.HELD and hold.expires_at > now:
            await confirm_booking(
                work,
                hold,
                hold_id=hold.id,
                deposit_id=paid.deposit_id,
                time_zone=availability.zone_at(as_interval(hold.during).start).key,
                now=now,
                causation_id=envelope.message_id,
            )
            return
        if state not in {ReservationState.HELD, ReservationState.EXPIRED}:
            self._conflict(
                work, envelope, hold, reason=f"the hold was {state.value} before the deposit arrived"
            )
            return
        if state is ReservationState.HELD:
            # No hold.expired here: the deposit is paid, so nothing downstream should expire its checkout.
            await move(session, hold, ReservationState.EXPIRED, at=now)
        slot = as_interval(hold.during)
        await expire_lapsed_holds(work, now=now, within=slot, causation_id=envelope.message_id)
        decision = decide_paid_after_expiry(
            hold=as_domain(hold),
            slot_is_free=not await overlapping_active(session, slot, now=now),
            policy=self._rules.hold_policy,
            now=now,
        )
        if not isinstance(decision, Rehold):
            self._conflict(work, envelope, hold, reason="slot taken after the hold expired")
            return
        rehold = Reservation(
            id=uuid.uuid4(),
            artist_id=ARTIST,
            lead_id=hold.lead_id,
            slot_id=hold.slot_id,
            city=hold.city,
            size_category=hold.size_category,
            state=ReservationState.HELD.value,
            during=hold.during,
            expires_at=decision.expires_at,
            rehold_of=hold.id,
            updated_at=now,
        )
        try:
            await insert_reservation(session, rehold)
        except SlotTakenError:
            self._conflict(work, envelope, hold, reason="slot taken after the hold expired")
            return
        await confirm_booking(
            work,
            rehold,
            hold_id=hold.id,
            deposit_id=paid.deposit_id,
            time_zone=availability.zone_at(as_interval(rehold.during).start).key,
            now=now,
            causation_id=envelope.message_id,
        )

    @staticmethod
    async def _already_booked(work: UnitOfWork, hold: Reservation, paid: DepositPaid) -> bool:
        """Whether this deposit already booked this hold (or its re-hold): a second report changes nothing."""
        # A booking that has since moved on to another slot was booked by this deposit all the same.
        booked = (ReservationState.BOOKED.value, ReservationState.MOVED.value)
        if hold.state in booked and hold.deposit_id == paid.deposit_id:
            return True
        return await rehold_paid_by(work.session, hold.id, paid.deposit_id) is not None

    @staticmethod
    def _conflict(
        work: UnitOfWork, envelope: Envelope[DepositPaid], hold: Reservation, *, reason: str
    ) -> None:
        paid = envelope.payload
        work.publish(
            subjects.BOOKING_CONFLICT,
            BookingConflict(
                lead_id=hold.lead_id,
                hold_id=hold.id,
                deposit_id=paid.deposit_id,
                range=time_range(as_interval(hold.during)),
                reason=reason,
            ),
            correlation_id=str(hold.lead_id),
            causation_id=envelope.message_id,
        )


class DepositExpiredHandler:
    """The checkout lapsed unpaid: free the slot now rather than at the hold's TTL (hold.released)."""

    def __init__(self, rules: CalendarRules) -> None:
        self._rules = rules

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositExpired]) -> None:
        expired = envelope.payload
        hold = await lock_reservation(work.session, expired.hold_id)
        if hold is None or hold.state != ReservationState.HELD.value:
            return
        await move(work.session, hold, ReservationState.RELEASED, at=self._rules.clock())
        work.publish(
            subjects.HOLD_RELEASED,
            HoldReleased(hold_id=hold.id, lead_id=hold.lead_id, reason="deposit expired"),
            correlation_id=str(hold.lead_id),
            causation_id=envelope.message_id,
        )
