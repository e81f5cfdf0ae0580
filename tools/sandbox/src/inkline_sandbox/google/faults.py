"""A thread-safe script of failures: "the next N calls to X fail like this"."""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

K = TypeVar("K")
F = TypeVar("F")


class FaultScript(Generic[K, F]):
    """FIFO of faults per key; each call through ``take`` consumes at most one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[K, deque[F]] = {}

    def add(self, key: K, fault: F, times: int = 1) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queued.setdefault(key, deque()).extend([fault] * times)

    def take(self, *keys: K) -> F | None:
        """Pop the first fault queued under any of ``keys`` (checked in order), if there is one."""
        with self._lock:
            for key in keys:
                queue = self._queued.get(key)
                if queue:
                    return queue.popleft()
        return None

    def pending(self, key: K) -> int:
        with self._lock:
            return len(self._queued.get(key, ()))

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
