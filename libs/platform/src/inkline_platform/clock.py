"""The one notion of now every service uses, injected so that tests move time instead of waiting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, timezone-aware in UTC (what every stored and published instant is)."""
    return datetime.now(UTC)
