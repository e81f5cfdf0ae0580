"""The tag a send carries in `biz_opaque_callback_data`, and the backoff after a 5xx."""

from __future__ import annotations

import uuid

import pytest

from inkline_notifier.domain.attempts import (
    RETRY_MAX_SECONDS,
    callback_tag,
    retry_delay,
    tagged_notification,
)

NOTIFICATION = uuid.UUID("6c41a85e-714b-4c24-ac4b-addba5551aa9")


def test_a_tag_names_its_notification_and_fits_metas_512_characters() -> None:
    tag = callback_tag(NOTIFICATION, 2)

    assert tagged_notification(tag) == NOTIFICATION
    assert len(tag) <= 512


@pytest.mark.parametrize(
    "tag", [None, "", "campaign:spring", f"{NOTIFICATION}", f"{NOTIFICATION}:x", "not-a-uuid:1"]
)
def test_a_missing_or_foreign_tag_names_no_notification(tag: str | None) -> None:
    assert tagged_notification(tag) is None


@pytest.mark.parametrize(("failures", "ceiling"), [(1, 0.5), (2, 1.0), (4, 4.0), (20, RETRY_MAX_SECONDS)])
def test_the_wait_after_a_server_error_grows_with_each_failure_up_to_a_ceiling(
    failures: int, ceiling: float
) -> None:
    waits = [retry_delay(failures, base_seconds=0.5) for _ in range(200)]

    assert all(0 <= wait <= ceiling for wait in waits)
    assert max(waits) > ceiling / 2
