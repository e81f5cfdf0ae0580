from __future__ import annotations

import pytest

from inkline_notifier.domain.delivery import Delivery, advance


def test_read_before_delivered_passes_through_delivered_and_the_late_delivered_changes_nothing() -> None:
    assert advance(Delivery.SENT, Delivery.READ) == [Delivery.DELIVERED, Delivery.READ]
    assert advance(Delivery.READ, Delivery.DELIVERED) == []


@pytest.mark.parametrize(
    ("current", "reported", "steps"),
    [
        (Delivery.SENT, Delivery.SENT, []),
        (Delivery.SENT, Delivery.DELIVERED, [Delivery.DELIVERED]),
        (Delivery.DELIVERED, Delivery.SENT, []),
        (Delivery.SENT, Delivery.FAILED, [Delivery.FAILED]),
        (Delivery.DELIVERED, Delivery.FAILED, []),
        (Delivery.FAILED, Delivery.READ, []),
        (Delivery.SENT, Delivery.QUEUED, []),
    ],
)
def test_statuses_only_move_forward(current: Delivery, reported: Delivery, steps: list[Delivery]) -> None:
    assert advance(current, reported) == steps
