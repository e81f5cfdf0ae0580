from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from inkline_campaigns.domain.consent import (
    ConsentFacts,
    FrequencyCap,
    QuietHours,
    SkipReason,
    consent_refusal,
)
from inkline_campaigns.domain.eligibility import ContactFacts, Later, MarketingRules, Send, Skip
from inkline_campaigns.domain.timezones import zone_name_for
from inkline_campaigns.settings import ConsentRule

NIGHT = QuietHours(start=time(21), end=time(9))
NOON_UTC = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def _rules(rule: ConsentRule = ConsentRule.EXPLICIT_OPT_IN) -> MarketingRules:
    return MarketingRules(
        consent_rule=rule, cap=FrequencyCap(timedelta(days=7)), quiet=NIGHT, default_timezone="Europe/London"
    )


def _contact(**overrides: object) -> ContactFacts:
    values: dict[str, object] = {
        "opted_in": True,
        "opted_out": False,
        "last_inbound_at": None,
        "last_marketing_at": None,
        "timezone": "Europe/London",
    }
    values.update(overrides)
    return ContactFacts(**values)  # type: ignore[arg-type]


def test_an_opt_out_beats_an_earlier_opt_in_and_any_inbound_message() -> None:
    facts = ConsentFacts(opted_in=True, opted_out=True, has_written=True)

    assert consent_refusal(facts, ConsentRule.WROTE_AND_NEVER_OPTED_OUT) is SkipReason.OPTED_OUT


def test_writing_to_the_artist_counts_as_consent_only_under_the_lenient_rule() -> None:
    wrote = ConsentFacts(opted_in=False, opted_out=False, has_written=True)

    assert consent_refusal(wrote, ConsentRule.EXPLICIT_OPT_IN) is SkipReason.NOT_OPTED_IN
    assert consent_refusal(wrote, ConsentRule.WROTE_AND_NEVER_OPTED_OUT) is None


def test_quiet_hours_spanning_midnight_cover_late_evening_and_early_morning() -> None:
    assert NIGHT.is_quiet(time(22, 30))
    assert NIGHT.is_quiet(time(3))
    assert not NIGHT.is_quiet(time(9))
    assert not NIGHT.is_quiet(time(20, 59))


def test_a_contact_in_their_night_is_sent_to_when_their_morning_starts() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")  # 21:00 local at noon UTC

    allowed = NIGHT.next_allowed(NOON_UTC, tokyo)

    assert allowed == datetime(2027, 3, 11, 9, 0, tzinfo=tokyo)


def test_a_contact_after_midnight_is_sent_to_the_same_local_morning() -> None:
    sydney = ZoneInfo("Australia/Sydney")  # 23:00 local at noon UTC in March (daylight saving)

    allowed = NIGHT.next_allowed(NOON_UTC + timedelta(hours=2), sydney)

    assert allowed == datetime(2027, 3, 11, 9, 0, tzinfo=sydney)


def test_the_frequency_cap_holds_a_contact_messaged_six_days_ago_but_not_eight() -> None:
    rules = _rules()

    capped = rules.decide(_contact(last_marketing_at=NOON_UTC - timedelta(days=6)), now=NOON_UTC)
    free = rules.decide(_contact(last_marketing_at=NOON_UTC - timedelta(days=8)), now=NOON_UTC)

    assert capped == Skip(SkipReason.FREQUENCY_CAP)
    assert free == Send()


def test_decision_defers_quiet_contacts_and_skips_unconsented_ones() -> None:
    rules = _rules()

    assert isinstance(rules.decide(_contact(timezone="Asia/Tokyo"), now=NOON_UTC), Later)
    assert rules.decide(_contact(opted_in=False), now=NOON_UTC) == Skip(SkipReason.NOT_OPTED_IN)


def test_time_zone_comes_from_the_qualified_country_then_the_phone_number() -> None:
    assert zone_name_for(country_code="JP", wa_id="447700900123", default="UTC") == "Asia/Tokyo"
    assert zone_name_for(country_code=None, wa_id="4915112345678", default="UTC") == "Europe/Berlin"
    assert zone_name_for(country_code=None, wa_id="DE.13491208655302741918", default="UTC") == "Europe/Berlin"
    assert zone_name_for(country_code=None, wa_id="99912345", default="UTC") == "UTC"
