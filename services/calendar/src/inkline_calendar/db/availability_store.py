"""Loading and saving the artist's availability: a rules row, tour legs and blackout dates.

Edits lock the rules row, so two admin edits (or an edit and the first seeding) never interleave, and
every write is re-validated by the domain before it is kept.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_calendar.db.models import (
    ARTIST,
    AvailabilityRules,
    AvailabilityRulesVersion,
    BlackoutDate,
    TourLegRow,
)
from inkline_calendar.domain.availability import Availability, TourLeg
from inkline_calendar.domain.seed import availability_from_dict, dump_availability, load_availability


async def load_availability_rules(
    session: AsyncSession, *, seed_file: Path, lock: bool = False
) -> Availability:
    """The current rules; the first call on an empty database stores the YAML seed."""
    statement = select(AvailabilityRules.rules).where(AvailabilityRules.artist_id == ARTIST)
    rules = await session.scalar(statement.with_for_update() if lock else statement)
    if rules is None:
        seed_text = await asyncio.to_thread(seed_file.read_text)
        await _seed(session, load_availability(seed_text))
        rules = await session.scalar(statement.with_for_update() if lock else statement)
        assert rules is not None
    legs = (
        await session.scalars(
            select(TourLegRow).where(TourLegRow.artist_id == ARTIST).order_by(TourLegRow.first_day)
        )
    ).all()
    blackouts = (
        await session.scalars(select(BlackoutDate.day).where(BlackoutDate.artist_id == ARTIST))
    ).all()
    data: dict[str, Any] = {
        **rules,
        "blackout_dates": [day.isoformat() for day in blackouts],
        "tour_legs": [
            {
                "city": leg.city,
                "country_code": leg.country_code,
                "first_day": leg.first_day.isoformat(),
                "last_day": leg.last_day.isoformat(),
                **({} if leg.timezone is None else {"timezone": leg.timezone}),
            }
            for leg in legs
        ],
    }
    return availability_from_dict(data)


async def _seed(session: AsyncSession, availability: Availability) -> None:
    # Two replicas may seed at once; the primary key lets exactly one win and the other reads its rows.
    inserted = await session.scalar(
        insert(AvailabilityRules)
        .values(artist_id=ARTIST, rules=_core_rules(availability), updated_at=func.now())
        .on_conflict_do_nothing()
        .returning(AvailabilityRules.artist_id)
    )
    if inserted is not None:
        await _write_calendar_days(session, availability)


async def replace_availability_rules(session: AsyncSession, availability: Availability) -> list[TourLeg]:
    """Store `availability` whole (after load_availability_rules(lock=True)); returns tour legs that are new."""
    before = set((await session.scalars(select(TourLegRow).where(TourLegRow.artist_id == ARTIST))).all())
    known = {(leg.city, leg.country_code, leg.first_day, leg.last_day) for leg in before}
    await session.execute(
        insert(AvailabilityRules)
        .values(artist_id=ARTIST, rules=_core_rules(availability), updated_at=func.now())
        .on_conflict_do_update(
            index_elements=[AvailabilityRules.artist_id],
            set_={"rules": _core_rules(availability), "updated_at": func.now()},
        )
    )
    # The rules row holds only the latest; every state saved through the admin API is kept as a version.
    await session.execute(
        insert(AvailabilityRulesVersion).values(
            artist_id=ARTIST, rules=dump_availability(availability), changed_at=func.now()
        )
    )
    await session.execute(delete(TourLegRow).where(TourLegRow.artist_id == ARTIST))
    await session.execute(delete(BlackoutDate).where(BlackoutDate.artist_id == ARTIST))
    await _write_calendar_days(session, availability)
    return [
        leg
        for leg in availability.tour_legs
        if (leg.city, leg.country_code, leg.first_day, leg.last_day) not in known
    ]


async def _write_calendar_days(session: AsyncSession, availability: Availability) -> None:
    for leg in availability.tour_legs:
        session.add(
            TourLegRow(
                id=uuid.uuid4(),
                artist_id=ARTIST,
                city=leg.city,
                country_code=leg.country_code,
                first_day=leg.first_day,
                last_day=leg.last_day,
                timezone=leg.timezone,
            )
        )
    for day in availability.blackout_dates:
        session.add(BlackoutDate(artist_id=ARTIST, day=day))
    await session.flush()


def _core_rules(availability: Availability) -> dict[str, Any]:
    """The rules row holds everything except the dated parts, which have tables of their own."""
    data = dump_availability(availability)
    del data["blackout_dates"], data["tour_legs"]
    return data
