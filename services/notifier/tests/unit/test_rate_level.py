"""The stored bucket's arithmetic: takers queue in order behind a debt; free takers never make one."""

from __future__ import annotations

import pytest

from inkline_notifier.domain.rate_level import Level, Rate

RATE = Rate(80)


def test_a_bucket_nobody_used_is_full() -> None:
    assert RATE.level_at(None, 100.0) == Level(tokens=8, at=100.0)


def test_a_batch_past_the_burst_waits_a_token_time_each_in_the_order_asked() -> None:
    level, waits = RATE.reserve(None, 11, now=100.0)

    assert waits[:8] == [0.0] * 8
    assert waits[8:] == pytest.approx([1 / 80, 2 / 80, 3 / 80])
    assert level == Level(tokens=-3, at=100.0)


def test_the_next_batch_queues_behind_the_debt_of_the_last() -> None:
    level, _ = RATE.reserve(None, 11, now=100.0)

    later, waits = RATE.reserve(level, 2, now=100.0 + 1 / 80)

    assert waits == pytest.approx([3 / 80, 4 / 80])
    assert later.tokens == pytest.approx(-4)


def test_the_refill_stops_at_the_burst() -> None:
    level, _ = RATE.reserve(None, 8, now=100.0)

    assert RATE.level_at(level, 200.0).tokens == 8


def test_a_clock_behind_the_stored_one_refills_nothing_and_takes_nothing_back() -> None:
    level = Level(tokens=2.5, at=100.0)

    assert RATE.level_at(level, 99.0) == Level(tokens=2.5, at=100.0)


def test_free_takers_get_only_whole_free_tokens_and_learn_when_the_next_is_free() -> None:
    level = Level(tokens=2.5, at=100.0)

    after, taken, retry_in = RATE.take_free(level, 4, now=100.0)

    assert taken == 2
    assert after.tokens == pytest.approx(0.5)
    assert retry_in == pytest.approx(0.5 / 80)


def test_free_takers_never_take_a_token_someone_reserved() -> None:
    level, _ = RATE.reserve(None, 10, now=100.0)

    after, taken, retry_in = RATE.take_free(level, 3, now=100.0)

    assert taken == 0
    assert after == level
    assert retry_in == pytest.approx(3 / 80)


def test_free_takers_given_all_they_asked_need_not_come_back() -> None:
    _, taken, retry_in = RATE.take_free(None, 3, now=100.0)

    assert (taken, retry_in) == (3, 0.0)


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Rate(0)
