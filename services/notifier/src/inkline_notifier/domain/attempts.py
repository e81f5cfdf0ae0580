"""Calls to the Cloud API whose answer never came, and how the sender tells Meta's callbacks which send
they belong to.

The Cloud API has no idempotency key, so a call that timed out (or whose process died) may or may not
have sent the message. Each call carries a tag in `biz_opaque_callback_data`, which Meta returns in the
message's status callbacks: a callback carrying it proves the message went out. Without one within the
grace period, the message is sent once more; a second unanswered call is the last, so a person gets at
most one duplicate.
"""

from __future__ import annotations

import random
import uuid

MAX_UNCONFIRMED = 2
"""Calls whose outcome never became known after which the sender stops: each may have delivered a copy."""

RETRY_MAX_SECONDS = 30.0


def callback_tag(notification_id: uuid.UUID, attempt: int) -> str:
    """What the `attempt`-th call for a notification sends as `biz_opaque_callback_data` (<= 512 chars)."""
    return f"{notification_id}:{attempt}"


def tagged_notification(tag: str | None) -> uuid.UUID | None:
    """The notification a status callback's tag names; None for no tag or one that is not ours."""
    if not tag:
        return None
    notification, _, attempt = tag.partition(":")
    try:
        return uuid.UUID(notification) if attempt.isdigit() else None
    except ValueError:
        return None


def retry_delay(failures: int, *, base_seconds: float) -> float:
    """Wait before the next call after `failures` 5xx/network failures: exponential, full jitter, so
    messages failing together do not come back together."""
    return random.uniform(0, min(RETRY_MAX_SECONDS, base_seconds * 2 ** (failures - 1)))
