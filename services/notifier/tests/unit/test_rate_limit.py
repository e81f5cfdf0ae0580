from __future__ import annotations

import pytest

from inkline_notifier.domain.rate_limit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_after_the_burst_each_send_waits_its_share_of_a_second() -> None:
    clock = FakeClock()
    bucket = TokenBucket(80, clock=clock)

    waits = [bucket.reserve() for _ in range(88)]

    assert waits[:8] == [0.0] * 8  # a tenth of a second's burst
    assert waits[8:11] == pytest.approx([1 / 80, 2 / 80, 3 / 80])
    assert waits[-1] == pytest.approx(80 / 80)


def test_over_time_the_bucket_admits_the_configured_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(80, clock=clock)
    admitted_without_waiting = 0
    for _ in range(10_000):  # ten seconds in steps of a millisecond, asking all the time
        clock.now += 0.001
        if bucket.reserve() == 0.0:
            admitted_without_waiting += 1
        else:
            bucket._tokens += 1  # give back the reservation: this caller does not wait, it asks again
    assert admitted_without_waiting == pytest.approx(800 + 8, abs=2)


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(0)
