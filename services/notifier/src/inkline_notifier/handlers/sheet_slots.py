"""The leads sheet's `slot` column: the slot held, then booked, then moved, on the session's clock (the
artist's own when an event does not say)."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inkline_contracts.base import TimeRange
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConfirmed, BookingMoved
from inkline_contracts.events.hold import HoldExpired, HoldPlaced, HoldReleased
from inkline_notifier.db.sheet_rows import upsert_row
from inkline_notifier.domain import sheet_rows as rows
from inkline_platform.uow import UnitOfWork


def _slot(period: TimeRange, timezone: str | None, *, artist_zone: ZoneInfo) -> str:
    zone = artist_zone
    # A zone this machine does not know: the artist's clock beats a dead-lettered row.
    with suppress(ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(timezone) if timezone else artist_zone
    return rows.slot(period, zone)


@dataclass(frozen=True)
class HoldPlacedHandler:
    """Shows the slot the lead is holding."""

    zone: ZoneInfo

    async def __call__(self, work: UnitOfWork, envelope: Envelope[HoldPlaced]) -> None:
        hold = envelope.payload
        updates = {
            rows.HELD: _slot(hold.range, hold.timezone, artist_zone=self.zone),
            rows.HOLD_ID: str(hold.hold_id),
        }
        await upsert_row(
            work.session, sheet=rows.LEADS, key=str(hold.lead_id), updates=updates, at=envelope.occurred_at
        )


class HoldExpiredHandler:
    """A lapsed hold no longer shows as held."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[HoldExpired]) -> None:
        hold = envelope.payload
        await _hold_ended(work, lead_id=hold.lead_id, hold_id=hold.hold_id, at=envelope.occurred_at)


class HoldReleasedHandler:
    """A released hold no longer shows as held."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[HoldReleased]) -> None:
        hold = envelope.payload
        await _hold_ended(work, lead_id=hold.lead_id, hold_id=hold.hold_id, at=envelope.occurred_at)


async def _hold_ended(work: UnitOfWork, *, lead_id: uuid.UUID, hold_id: uuid.UUID, at: datetime) -> None:
    await upsert_row(
        work.session,
        sheet=rows.LEADS,
        key=str(lead_id),
        updates={rows.HELD: ""},
        at=at,
        only_if={rows.HOLD_ID: str(hold_id)},
    )


@dataclass(frozen=True)
class BookingConfirmedHandler:
    """Shows the booked slot."""

    zone: ZoneInfo

    async def __call__(self, work: UnitOfWork, envelope: Envelope[BookingConfirmed]) -> None:
        booking = envelope.payload
        await _booked(
            work,
            lead_id=booking.lead_id,
            hold_id=booking.hold_id,
            slot=_slot(booking.range, booking.timezone, artist_zone=self.zone),
            at=envelope.occurred_at,
        )


@dataclass(frozen=True)
class BookingMovedHandler:
    """Shows the slot the booking moved to."""

    zone: ZoneInfo

    async def __call__(self, work: UnitOfWork, envelope: Envelope[BookingMoved]) -> None:
        moved = envelope.payload
        await _booked(
            work,
            lead_id=moved.lead_id,
            hold_id=moved.hold_id,
            slot=_slot(moved.range, moved.timezone, artist_zone=self.zone),
            at=envelope.occurred_at,
        )


async def _booked(
    work: UnitOfWork, *, lead_id: uuid.UUID, hold_id: uuid.UUID, slot: str, at: datetime
) -> None:
    # The hold the booking was made from is used up; a newer one (a move under way) stays shown.
    updates = {rows.BOOKED: slot, rows.BOOKED_HOLD: str(hold_id)}
    await upsert_row(work.session, sheet=rows.LEADS, key=str(lead_id), updates=updates, at=at)
