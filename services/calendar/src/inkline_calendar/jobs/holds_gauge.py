"""Refreshes the `inkline_active_holds` gauge: slots held for a deposit whose TTL has not run out."""

from __future__ import annotations

from sqlalchemy import func, select

from inkline_calendar.db.models import Reservation
from inkline_calendar.domain.holds import ReservationState
from inkline_platform.clock import Clock
from inkline_platform.metrics import ACTIVE_HOLDS
from inkline_platform.uow import UnitOfWorkFactory


class ActiveHoldsGauge:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def run(self) -> None:
        """One tick of the periodic job."""
        async with self._uow() as uow:
            count = await uow.session.scalar(
                select(func.count())
                .select_from(Reservation)
                .where(
                    Reservation.state == ReservationState.HELD.value, Reservation.expires_at > self._clock()
                )
            )
        ACTIVE_HOLDS.set(count or 0)
