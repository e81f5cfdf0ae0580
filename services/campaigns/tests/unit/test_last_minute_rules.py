"""The pure rules of last-minute offers: notice, sizes, wording in the artist's clock, and who is picked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from inkline_campaigns.app import marketing_rules
from inkline_campaigns.domain.eligibility import ContactFacts
from inkline_campaigns.domain.last_minute import FreedSlot, Pick, pick_recipients, sizes_that_fit
from inkline_campaigns.domain.templates import FieldParameter, FixedParameter
from inkline_campaigns.settings import CampaignsSettings

LONDON = ZoneInfo("Europe/London")
BOOKING = uuid.UUID("3f2a9c1b-0000-4000-8000-000000000001")
NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
RULES = marketing_rules(
    CampaignsSettings(campaigns_quiet_hours_start=time(21), campaigns_quiet_hours_end=time(9))
)


def _slot(start: datetime) -> FreedSlot:
    return FreedSlot(booking_id=BOOKING, starts_at=start, ends_at=start + timedelta(hours=3), city="London")


def _facts(*, timezone: str = "Europe/London", **overrides: object) -> ContactFacts:
    values: dict[str, object] = {
        "opted_in": True, "opted_out": False, "last_inbound_at": None, "last_marketing_at": None,
        "timezone": timezone,
    }  # fmt: skip
    return ContactFacts(**(values | overrides))  # type: ignore[arg-type]


def test_a_slot_is_worth_offering_only_with_at_least_the_minimum_notice_left() -> None:
    notice = timedelta(hours=12)

    assert _slot(NOON + notice).worth_offering(now=NOON, min_notice=notice)
    assert not _slot(NOON + notice - timedelta(seconds=1)).worth_offering(now=NOON, min_notice=notice)


def test_a_slot_fits_requests_of_its_own_size_or_smaller() -> None:
    assert sizes_that_fit("medium") == ("small", "medium")
    assert sizes_that_fit("full_day") == ("small", "medium", "large", "full_day")
    assert sizes_that_fit(None) is None


def test_the_offer_speaks_the_artists_clock_across_a_daylight_saving_change() -> None:
    summer = _slot(datetime(2027, 7, 2, 10, 0, tzinfo=UTC))  # 11:00 in London (BST)

    assert summer.when(LONDON) == "Fri 2 Jul, 11:00"
    assert summer.tag(LONDON) == "last-minute-2027-07-02-1100-3f2a9c1b"
    assert summer.parameters(LONDON) == [
        FieldParameter(field="profile_name", fallback="there"),
        FixedParameter(value="Fri 2 Jul, 11:00"),
        FixedParameter(value="London"),
    ]
    assert summer.quick_reply_payload == f"last_minute:{BOOKING}"


def test_the_same_freeing_of_a_slot_always_names_the_same_campaign() -> None:
    start = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)

    assert _slot(start).campaign_id == _slot(start).campaign_id
    assert _slot(start).campaign_id != _slot(start + timedelta(days=1)).campaign_id


def test_picking_skips_refused_contacts_and_those_quiet_hours_would_hold_past_the_expiry() -> None:
    candidates = [
        ("opted_out", _facts(opted_out=True)),
        ("capped", _facts(last_marketing_at=NOON - timedelta(days=1))),
        ("tokyo", _facts(timezone="Asia/Tokyo")),  # 21:00 there: quiet until 09:00, after the expiry
        ("sydney", _facts(timezone="Australia/Sydney")),  # 23:00 there: quiet until 22:00 UTC, before it
        ("london", _facts()),
        ("paris", _facts(timezone="Europe/Paris")),
    ]

    picks = pick_recipients(candidates, rules=RULES, now=NOON, expires_at=NOON + timedelta(hours=11), limit=2)

    assert picks == [
        Pick(wa_id="sydney", send_after=datetime(2027, 3, 10, 22, 0, tzinfo=UTC)),
        Pick(wa_id="london", send_after=NOON),
    ]
