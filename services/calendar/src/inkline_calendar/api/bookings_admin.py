"""The artist's holds and bookings over the admin API (bearer token): what a week holds, and moving a
booking to another time, which ends as a reschedule in chat does (booking.moved: the client is told)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import AwareDatetime, BaseModel, SecretStr
from sqlalchemy import select

from inkline_calendar.api.admin_auth import admin_guard
from inkline_calendar.db.models import ARTIST, Reservation
from inkline_calendar.db.reservation_changes import as_domain, expire_lapsed_holds
from inkline_calendar.db.reservations import SlotTakenError, as_interval, as_range, overlapping_active
from inkline_calendar.domain.holds import ReservationState
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.moves import LeadReservation, MoveRejection, move_rejection
from inkline_calendar.domain.slot_ids import slot_id_for
from inkline_calendar.handlers.moves import carry_out_move
from inkline_calendar.handlers.rules import CalendarRules
from inkline_platform.uow import UnitOfWorkFactory

# A calendar screen shows a week; a month is the most one request may ask for.
LONGEST_WINDOW = timedelta(days=31)


class ReservationOut(BaseModel):
    kind: Literal["hold", "booking"]
    reservation_id: uuid.UUID
    booking_id: uuid.UUID | None
    lead_id: uuid.UUID
    start: datetime
    end: datetime
    city: str
    size_category: str
    client_name: str | None
    # When a hold lapses unless its deposit is paid; None for a booking.
    expires_at: datetime | None


class MoveIn(BaseModel):
    start: AwareDatetime


def _out(row: Reservation) -> ReservationOut:
    slot = as_interval(row.during)
    booked = row.state == ReservationState.BOOKED.value
    return ReservationOut(
        kind="booking" if booked else "hold",
        reservation_id=row.id,
        booking_id=row.booking_id,
        lead_id=row.lead_id,
        start=slot.start,
        end=slot.end,
        city=row.city,
        size_category=row.size_category,
        client_name=row.client_name,
        expires_at=None if booked else row.expires_at,
    )


# What the artist reads when a move is refused, by the rule that refused it.
_REFUSALS = {
    MoveRejection.BOOKING_STARTED: "That session has already started.",
    MoveRejection.BOOKING_CANCELLED: "That booking was cancelled.",
}


def bookings_admin_router(*, token: SecretStr, uow: UnitOfWorkFactory, rules: CalendarRules) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(admin_guard(token))])

    @router.get("/reservations")
    async def list_reservations(
        start: Annotated[AwareDatetime, Query()], end: Annotated[AwareDatetime, Query()]
    ) -> list[ReservationOut]:
        """Bookings and live holds (inside their TTL) that overlap [start, end), earliest first."""
        if not start < end <= start + LONGEST_WINDOW:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, "end must be after start, and at most 31 days later"
            )
        async with uow() as work:
            rows = await overlapping_active(work.session, UtcInterval(start, end), now=rules.clock())
            return [_out(row) for row in sorted(rows, key=lambda row: as_interval(row.during).start)]

    @router.post("/bookings/{booking_id}/move")
    async def move_booking(booking_id: uuid.UUID, body: MoveIn) -> ReservationOut:
        """Move a booking to start at `start`, keeping its length: a hold is placed there and the booking
        moves onto it in one step, as when the client reschedules in chat (booking.moved tells them, the
        calendar event is patched, the old time is announced free). 409 when the time is taken."""
        now = rules.clock()
        async with uow() as work:
            session = work.session
            booking = await session.scalar(
                select(Reservation)
                .where(
                    Reservation.booking_id == booking_id, Reservation.state == ReservationState.BOOKED.value
                )
                .with_for_update()
            )
            if booking is None:
                raise HTTPException(
                    status.HTTP_404_NOT_FOUND, "That booking is not in the calendar any more."
                )
            current = as_interval(booking.during)
            if body.start == current.start:
                return _out(booking)
            if body.start <= now:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Pick a time that has not passed.")
            slot = UtcInterval(body.start, body.start + current.duration)
            hold = Reservation(
                id=uuid.uuid4(),
                artist_id=ARTIST,
                lead_id=booking.lead_id,
                slot_id=slot_id_for(slot),
                city=booking.city,
                size_category=booking.size_category,
                client_name=booking.client_name,
                state=ReservationState.HELD.value,
                during=as_range(slot),
                expires_at=rules.hold_policy.expires_at(now),
                updated_at=now,
            )
            rejection = move_rejection(
                lead_id=booking.lead_id,
                booking=LeadReservation(lead_id=booking.lead_id, reservation=as_domain(booking)),
                hold=LeadReservation(lead_id=hold.lead_id, reservation=as_domain(hold)),
                now=now,
            )
            if rejection is not None:
                detail = _REFUSALS.get(rejection, "That booking cannot be moved.")
                raise HTTPException(status.HTTP_409_CONFLICT, detail)
            # A hold past its TTL that the sweeper has not reached yet must not keep the time from the artist.
            await expire_lapsed_holds(work, now=now, within=slot, causation_id=None)
            try:
                await carry_out_move(
                    work, booking=booking, hold=hold, rules=rules, now=now, causation_id=None, place_hold=True
                )
            except SlotTakenError as error:
                raise HTTPException(status.HTTP_409_CONFLICT, "That time is taken.") from error
            moved = _out(hold)
            await work.commit()
        return moved

    return router
