"""hold.requested: hold the picked slot for the lead, or say why not. The database decides who wins."""

from __future__ import annotations

import uuid

from inkline_calendar.db.availability_store import load_availability_rules
from inkline_calendar.db.models import ARTIST, Reservation
from inkline_calendar.db.reservation_changes import expire_lapsed_holds, time_range
from inkline_calendar.db.reservations import (
    SlotTakenError,
    as_interval,
    as_range,
    insert_reservation,
    lock_lead_reservations,
    move,
)
from inkline_calendar.domain.holds import ReservationState
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.hold import (
    HoldExpired,
    HoldPlaced,
    HoldRejected,
    HoldRejectedReason,
    HoldReleased,
    PlaceHold,
)
from inkline_platform.uow import UnitOfWork


class PlaceHoldHandler:
    """Hold the lead's picked slot (hold.placed) unless it is taken or gone (hold.rejected)."""

    def __init__(self, rules: CalendarRules) -> None:
        self._rules = rules

    async def __call__(self, work: UnitOfWork, envelope: Envelope[PlaceHold]) -> None:
        command = envelope.payload
        now = self._rules.clock()
        session = work.session

        def reject(reason: HoldRejectedReason) -> None:
            work.publish(
                subjects.HOLD_REJECTED,
                HoldRejected(
                    lead_id=command.lead_id, slot_id=command.slot_id, range=command.range, reason=reason
                ),
                correlation_id=str(command.lead_id),
                causation_id=envelope.message_id,
            )

        if command.range.end <= command.range.start or command.range.start <= now:
            reject(HoldRejectedReason.UNAVAILABLE)
            return
        slot = UtcInterval(command.range.start, command.range.end)
        # A hold past its TTL that the sweeper has not reached yet must not win against a live request.
        await expire_lapsed_holds(work, now=now, within=slot, causation_id=envelope.message_id)
        previous = await lock_lead_reservations(session, command.lead_id, states=[ReservationState.HELD])
        for hold in previous:
            if as_interval(hold.during) == slot and hold.expires_at > now:
                # The same pick again (a double tap, a resent command): the hold stands as it is.
                await self._placed(work, hold, causation_id=envelope.message_id)
                return
        new = Reservation(
            id=uuid.uuid4(),
            artist_id=ARTIST,
            lead_id=command.lead_id,
            slot_id=command.slot_id,
            city=command.city,
            size_category=command.size_category.value,
            client_name=command.client_name,
            state=ReservationState.HELD.value,
            during=as_range(slot),
            expires_at=self._rules.hold_policy.expires_at(now),
            updated_at=now,
        )
        released: list[tuple[Reservation, ReservationState]] = []
        try:
            # Letting go of the old hold and taking the new one succeed or fail together: a re-pick that
            # loses the race keeps the slot the lead already had.
            async with session.begin_nested():
                for hold in previous:
                    target = ReservationState.EXPIRED if hold.expires_at <= now else ReservationState.RELEASED
                    await move(session, hold, target, at=now)
                    released.append((hold, target))
                await insert_reservation(session, new)
        except SlotTakenError:
            reject(HoldRejectedReason.TAKEN)
            return
        for hold, target in released:
            if target is ReservationState.EXPIRED:
                work.publish(
                    subjects.HOLD_EXPIRED,
                    HoldExpired(
                        hold_id=hold.id, lead_id=hold.lead_id, range=time_range(as_interval(hold.during))
                    ),
                    correlation_id=str(hold.lead_id),
                    causation_id=envelope.message_id,
                )
            else:
                work.publish(
                    subjects.HOLD_RELEASED,
                    HoldReleased(hold_id=hold.id, lead_id=hold.lead_id, reason="re-picked"),
                    correlation_id=str(hold.lead_id),
                    causation_id=envelope.message_id,
                )
        await self._placed(work, new, causation_id=envelope.message_id)

    async def _placed(self, work: UnitOfWork, hold: Reservation, *, causation_id: uuid.UUID) -> None:
        slot = as_interval(hold.during)
        availability = await load_availability_rules(work.session, seed_file=self._rules.seed_file)
        work.publish(
            subjects.HOLD_PLACED,
            HoldPlaced(
                hold_id=hold.id,
                lead_id=hold.lead_id,
                range=time_range(slot),
                expires_at=hold.expires_at,
                timezone=availability.zone_at(slot.start).key,
            ),
            correlation_id=str(hold.lead_id),
            causation_id=causation_id,
        )
