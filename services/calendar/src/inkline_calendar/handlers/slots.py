"""slots.requested: concrete free sessions in the lead's city, or where and when the artist can be found."""

from __future__ import annotations

from datetime import timedelta

from inkline_calendar.adapters.calendar_port import CalendarPort
from inkline_calendar.db.availability_store import load_availability_rules
from inkline_calendar.db.reservation_changes import time_range
from inkline_calendar.db.reservations import busy_intervals
from inkline_calendar.domain.availability import SizeCategory
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.slot_ids import slot_id_for
from inkline_calendar.domain.slots import DayPart, Preferences, suggest_slots
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_contracts.events.slots import CityDates, RequestSlots, SlotsSuggested, SuggestedSlot
from inkline_platform.uow import UnitOfWork

_DAY_PARTS = {part.value: part for part in DayPart}


def preferences_from(windows: list[TimeWindowPreference]) -> Preferences:
    """The client's windows and day parts; unknown day-part words are ignored rather than refused."""
    return Preferences(
        windows=tuple(
            UtcInterval(window.range.start, window.range.end)
            for window in windows
            if window.range.end > window.range.start
        ),
        day_parts=frozenset(
            _DAY_PARTS[part.strip().lower()]
            for window in windows
            for part in window.day_parts
            if part.strip().lower() in _DAY_PARTS
        ),
    )


class SuggestSlotsHandler:
    """Answer with up to N slots on distinct days (slots.suggested), subtracting busy time and holds."""

    def __init__(self, rules: CalendarRules, *, calendar: CalendarPort) -> None:
        self._rules = rules
        self._calendar = calendar

    async def __call__(self, work: UnitOfWork, envelope: Envelope[RequestSlots]) -> None:
        request = envelope.payload
        now = self._rules.clock()
        availability = await load_availability_rules(work.session, seed_file=self._rules.seed_file)
        # One day past the horizon: a slot starting just inside it may end outside.
        window = UtcInterval(now, now + timedelta(days=availability.horizon_days + 1))
        busy = [*await self._calendar.busy(window), *await busy_intervals(work.session, window, now=now)]
        suggestion = suggest_slots(
            availability=availability,
            city=request.city,
            country_code=request.country_code,
            size_category=SizeCategory(request.size_category.value),
            preferences=preferences_from(request.preferences),
            busy=busy,
            now=now,
            count=request.count,
        )
        work.publish(
            subjects.SLOTS_SUGGESTED,
            SlotsSuggested(
                request_id=request.request_id,
                lead_id=request.lead_id,
                slots=[
                    SuggestedSlot(
                        slot_id=slot_id_for(UtcInterval(slot.start_utc, slot.end_utc)),
                        range=time_range(UtcInterval(slot.start_utc, slot.end_utc)),
                        city=slot.city,
                        timezone=availability.zone_at(slot.start_utc).key,
                    )
                    for slot in suggestion.slots
                ],
                preference_met=suggestion.preference_met,
                alternatives=[
                    CityDates(
                        city=place.city,
                        country_code=place.country_code,
                        first_day=place.first_day,
                        last_day=place.last_day,
                        first_free_days=list(place.free_days),
                    )
                    for place in suggestion.alternatives
                ],
            ),
            correlation_id=str(request.lead_id),
            causation_id=envelope.message_id,
        )
