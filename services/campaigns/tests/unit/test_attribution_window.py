from datetime import UTC, datetime, timedelta

from inkline_campaigns.domain.attribution import Touch, attributed_touch

T0 = datetime(2027, 3, 1, 12, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_the_latest_message_before_the_event_gets_the_credit() -> None:
    touches = [Touch("spring", T0), Touch("flash", T0 + timedelta(days=2))]

    assert attributed_touch(touches, event_at=T0 + timedelta(days=3), window=WEEK) == touches[1]


def test_a_message_sent_after_the_event_earns_nothing() -> None:
    touches = [Touch("flash", T0 + timedelta(days=2))]

    assert attributed_touch(touches, event_at=T0 + timedelta(days=1), window=WEEK) is None


def test_an_event_past_the_window_is_not_attributed() -> None:
    touches = [Touch("spring", T0)]

    assert attributed_touch(touches, event_at=T0 + WEEK, window=WEEK) == touches[0]
    assert attributed_touch(touches, event_at=T0 + WEEK + timedelta(seconds=1), window=WEEK) is None
