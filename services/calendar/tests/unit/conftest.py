from datetime import time

import pytest

from inkline_calendar.domain.availability import (
    Availability,
    SessionLengths,
    WeeklyHours,
    WorkingInterval,
)

TEN_TO_SIX = (WorkingInterval(time(10), time(18)),)


@pytest.fixture
def london_artist() -> Availability:
    """Tuesday to Saturday, 10:00-18:00 London time, no notice, buffer or blackouts."""
    return Availability(
        timezone="Europe/London",
        home_city="London",
        home_country_code="GB",
        working_hours=WeeklyHours(
            tuesday=TEN_TO_SIX,
            wednesday=TEN_TO_SIX,
            thursday=TEN_TO_SIX,
            friday=TEN_TO_SIX,
            saturday=TEN_TO_SIX,
        ),
        session_minutes=SessionLengths(small=120, medium=240, large=360, full_day=420),
        horizon_days=60,
    )
