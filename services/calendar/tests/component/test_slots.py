"""slots.requested: suggestions on distinct days, minus Google busy time and holds, right across DST."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.handlers.slots import SuggestSlotsHandler
from inkline_calendar.testing import Database
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.hold import PlaceHold
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_contracts.events.slots import RequestSlots
from inkline_platform.testing import deliver
from inkline_sandbox.google import GoogleSandbox


def request(
    lead: uuid.UUID, *, city: str = "London", country: str = "GB", count: int = 5, **extra: object
) -> RequestSlots:
    return RequestSlots.model_validate(
        {
            "request_id": uuid.uuid4(),
            "lead_id": lead,
            "city": city,
            "country_code": country,
            "size_category": SizeCategory.SMALL,
            "count": count,
            **extra,
        }
    )


def slots_handler(rules: CalendarRules, adapter: GoogleCalendar) -> SuggestSlotsHandler:
    """The handler on the real Google adapter, against the Calendar fake (an empty calendar)."""
    return SuggestSlotsHandler(rules, calendar=adapter)


async def suggested(database: Database) -> dict[str, object]:
    payload: dict[str, object] = (await database.published(subjects.SLOTS_SUGGESTED))[-1]["payload"]
    return payload


async def test_a_clocks_change_week_keeps_sessions_at_ten_local_time(
    database: Database, rules: CalendarRules, adapter: GoogleCalendar
) -> None:
    lead = uuid.uuid4()
    # London goes from GMT to BST on Sunday 28 March 2027: 10:00 local is 10:00Z before and 09:00Z after.
    await deliver(
        database.uow,
        slots_handler(rules, adapter),
        subjects.SLOTS_REQUESTED,
        request(lead, count=7),
        correlation_id=str(lead),
    )

    answer = await suggested(database)
    starts = [slot["range"]["start"] for slot in answer["slots"]]  # type: ignore[attr-defined]
    assert starts == [
        "2027-03-23T10:00:00Z",
        "2027-03-24T10:00:00Z",
        "2027-03-25T10:00:00Z",
        "2027-03-26T10:00:00Z",
        "2027-03-27T10:00:00Z",
        "2027-03-30T09:00:00Z",
        "2027-03-31T09:00:00Z",
    ]
    assert answer["slots"][0]["slot_id"] == "20270323T1000Z-120"  # type: ignore[index]
    assert answer["preference_met"] is True


async def test_google_busy_time_and_active_holds_are_not_offered(
    database: Database,
    rules: CalendarRules,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: Path,
) -> None:
    calendar = GoogleCalendar.from_service_account_file(
        str(service_account_file), calendar_id="primary", api_endpoint=google_url, timeout_seconds=5
    )
    tuesday = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
    google.calendar.add_busy_block("primary", tuesday, tuesday + timedelta(hours=3))
    holder = uuid.uuid4()
    wednesday = tuesday + timedelta(days=1)
    await deliver(
        database.uow,
        PlaceHoldHandler(rules),
        subjects.HOLD_REQUESTED,
        PlaceHold(
            lead_id=holder,
            slot_id="w",
            range=TimeRange(start=wednesday, end=wednesday + timedelta(hours=2)),
            city="London",
            size_category=SizeCategory.SMALL,
        ),
        correlation_id=str(holder),
    )
    lead = uuid.uuid4()

    await deliver(
        database.uow,
        SuggestSlotsHandler(rules, calendar=calendar),
        subjects.SLOTS_REQUESTED,
        request(lead, count=2),
        correlation_id=str(lead),
    )

    starts = [slot["range"]["start"] for slot in (await suggested(database))["slots"]]  # type: ignore[attr-defined]
    assert starts == ["2027-03-23T13:00:00Z", "2027-03-24T12:00:00Z"]


async def test_a_city_the_artist_does_not_visit_gets_tour_legs_and_home_dates_instead(
    database: Database, rules: CalendarRules, adapter: GoogleCalendar
) -> None:
    lead = uuid.uuid4()

    await deliver(
        database.uow,
        slots_handler(rules, adapter),
        subjects.SLOTS_REQUESTED,
        request(lead, city="Paris", country="FR", count=2),
        correlation_id=str(lead),
    )

    answer = await suggested(database)
    places = [(a["city"], a["first_day"], a["first_free_days"]) for a in answer["alternatives"]]  # type: ignore[attr-defined]
    assert answer["slots"] == []
    assert ("Berlin", "2027-04-13", ["2027-04-13", "2027-04-14"]) in places
    assert places[0] == ("London", "2027-03-22", ["2027-03-23", "2027-03-24"])


async def test_unmet_preferences_still_offer_slots_and_say_so(
    database: Database, rules: CalendarRules, adapter: GoogleCalendar
) -> None:
    lead = uuid.uuid4()
    sunday = datetime(2027, 3, 28, 9, 0, tzinfo=UTC)
    only_sunday = TimeWindowPreference(range=TimeRange(start=sunday, end=sunday + timedelta(hours=8)))

    await deliver(
        database.uow,
        slots_handler(rules, adapter),
        subjects.SLOTS_REQUESTED,
        request(lead, count=1, preferences=[only_sunday]),
        correlation_id=str(lead),
    )

    answer = await suggested(database)
    assert answer["preference_met"] is False
    assert len(answer["slots"]) == 1  # type: ignore[arg-type]
