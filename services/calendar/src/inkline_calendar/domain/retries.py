"""When to try a failed calendar write again, and when to give up and tell the artist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetrySchedule:
    """Exponential backoff: ``base``, ``2·base``, ``4·base`` … capped at ``cap``, ``max_attempts`` in all."""

    base: timedelta
    cap: timedelta
    max_attempts: int

    def __post_init__(self) -> None:
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError(f"backoff needs 0 < base <= cap, got base={self.base} cap={self.cap}")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def delay_after(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failure (1-based)."""
        if attempts < 1:
            raise ValueError(f"attempts is 1-based, got {attempts}")
        # Capping the exponent first keeps the arithmetic small however long the outage lasts.
        factor = 2 ** min(attempts - 1, 32)
        delay: timedelta = min(self.base * factor, self.cap)
        return delay
