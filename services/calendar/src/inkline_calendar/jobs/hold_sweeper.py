"""Expires holds whose TTL ran out and announces each (hold.expired), batch by batch."""

from __future__ import annotations

from inkline_calendar.db.reservation_changes import expire_lapsed_holds
from inkline_platform.clock import Clock
from inkline_platform.uow import UnitOfWorkFactory

BATCH = 200


class HoldSweeper:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def run(self) -> None:
        """One tick of the periodic job."""
        await self.sweep()

    async def sweep(self) -> int:
        """Expire every lapsed hold; returns how many."""
        total = 0
        while True:
            async with self._uow() as uow:
                expired = await expire_lapsed_holds(uow, now=self._clock(), within=None, causation_id=None)
                await uow.commit()
            total += expired
            if expired < BATCH:
                return total
