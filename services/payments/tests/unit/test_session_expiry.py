from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inkline_payments.domain.expiry import MARGIN, STRIPE_MAX, STRIPE_MIN, session_expiry

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_a_hold_well_inside_stripes_window_keeps_its_own_expiry() -> None:
    hold = NOW + timedelta(hours=2)
    assert session_expiry(hold_expires_at=hold, now=NOW) == hold


def test_a_short_hold_gets_stripes_thirty_minute_minimum_plus_a_margin() -> None:
    expiry = session_expiry(hold_expires_at=NOW + timedelta(minutes=10), now=NOW)
    assert expiry == NOW + STRIPE_MIN + MARGIN


def test_a_long_hold_is_capped_below_stripes_24_hours() -> None:
    expiry = session_expiry(hold_expires_at=NOW + timedelta(days=3), now=NOW)
    assert expiry == NOW + STRIPE_MAX - MARGIN


def test_an_already_expired_hold_gets_no_session() -> None:
    assert session_expiry(hold_expires_at=NOW, now=NOW) is None
    assert session_expiry(hold_expires_at=NOW - timedelta(seconds=1), now=NOW) is None


def test_the_expiry_is_whole_seconds_as_stripe_takes_a_unix_timestamp() -> None:
    expiry = session_expiry(hold_expires_at=NOW + timedelta(hours=1, microseconds=700), now=NOW)
    assert expiry is not None
    assert expiry.microsecond == 0
