from __future__ import annotations

import uuid

import pytest

from inkline_payments.domain.checkout import SessionSnapshot, metadata_deposit_id, status_of
from inkline_payments.domain.statuses import DepositStatus, can_move

S = DepositStatus


def _session(status: str, payment_status: str = "unpaid") -> SessionSnapshot:
    return SessionSnapshot("cs_1", status, payment_status, None, None, None)


@pytest.mark.parametrize(
    ("current", "seen"),
    [
        (S.PAID, S.OPEN),
        (S.PAID, S.PROCESSING),
        (S.PAID, S.EXPIRED),
        (S.PROCESSING, S.OPEN),
        (S.EXPIRED, S.PAID),
        (S.REFUNDED, S.PAID),
        (S.FAILED, S.PROCESSING),
    ],
)
def test_a_stale_observation_never_moves_a_deposit_backwards(current: S, seen: S) -> None:
    assert not can_move(current, seen)


@pytest.mark.parametrize(
    ("current", "seen"),
    [
        (S.CREATING, S.OPEN),
        (S.OPEN, S.PAID),
        (S.OPEN, S.PROCESSING),
        (S.PROCESSING, S.PAID),
        (S.PROCESSING, S.FAILED),
        (S.OPEN, S.EXPIRED),
        (S.PAID, S.REFUNDED),
    ],
)
def test_forward_moves_are_allowed(current: S, seen: S) -> None:
    assert can_move(current, seen)


def test_staying_in_the_same_state_is_not_a_move_so_nothing_is_published_twice() -> None:
    assert not any(can_move(status, status) for status in S)


def test_a_completed_session_is_paid_only_when_its_payment_is() -> None:
    assert status_of(_session("complete", "paid")) is S.PAID
    assert status_of(_session("complete", "no_payment_required")) is S.PAID
    assert status_of(_session("complete", "unpaid")) is S.PROCESSING
    assert status_of(_session("complete", "unpaid"), async_payment_failed=True) is S.FAILED


def test_open_and_expired_sessions_map_to_open_and_expired() -> None:
    assert status_of(_session("open")) is S.OPEN
    assert status_of(_session("expired")) is S.EXPIRED


def test_the_deposit_id_is_read_from_metadata_and_garbage_is_ignored() -> None:
    deposit_id = uuid.uuid4()
    assert metadata_deposit_id({"deposit_id": str(deposit_id)}) == deposit_id
    assert metadata_deposit_id({"deposit_id": "not-a-uuid"}) is None
    assert metadata_deposit_id(None) is None
