"""Background delivery of Stripe events to webhook endpoints, with retries, off the request path.

A single daemon thread drains a time-ordered queue, so API requests never wait on a slow or failing
receiver (Stripe does the same). Each attempt is signed afresh with the current time, as Stripe does.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from inkline_sandbox.stripe.signing import sign


@dataclass(frozen=True)
class WebhookEndpoint:
    url: str
    secret: str
    enabled_events: tuple[str, ...] = ("*",)

    def wants(self, event_type: str) -> bool:
        return "*" in self.enabled_events or event_type in self.enabled_events


@dataclass(frozen=True)
class DeliveryAttempt:
    event_id: str
    event_type: str
    url: str
    attempt: int
    status_code: int | None
    error: str | None
    at: float

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    event_id: str = field(compare=False)
    event_type: str = field(compare=False)
    payload: bytes = field(compare=False)
    endpoint: WebhookEndpoint = field(compare=False)
    attempt: int = field(compare=False, default=1)


class Deliverer:
    def __init__(self, *, retry_delays: Sequence[float], record: Callable[[DeliveryAttempt], None]) -> None:
        self._retry_delays = tuple(retry_delays)
        self._record = record
        self._queue: list[_Job] = []
        self._seq = itertools.count()
        self._busy = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def enqueue(self, event_id: str, event_type: str, payload: bytes, endpoint: WebhookEndpoint) -> None:
        with self._cond:
            if self._closed:
                return
            job = _Job(time.monotonic(), next(self._seq), event_id, event_type, payload, endpoint)
            heapq.heappush(self._queue, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="stripe-webhooks", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is queued or in flight (retries included); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()

    def _next_job(self) -> _Job | None:
        with self._cond:
            while not self._closed:
                if self._queue and self._queue[0].due <= time.monotonic():
                    self._busy += 1
                    return heapq.heappop(self._queue)
                wait = self._queue[0].due - time.monotonic() if self._queue else None
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while (job := self._next_job()) is not None:
                try:
                    self._attempt(client, job)
                finally:
                    with self._cond:
                        self._busy -= 1
                        self._cond.notify_all()

    def _attempt(self, client: httpx.Client, job: _Job) -> None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": sign(job.payload, job.endpoint.secret),
        }
        status: int | None = None
        error: str | None = None
        try:
            status = client.post(job.endpoint.url, content=job.payload, headers=headers).status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        attempt = DeliveryAttempt(
            job.event_id, job.event_type, job.endpoint.url, job.attempt, status, error, time.time()
        )
        self._record(attempt)
        if attempt.succeeded or job.attempt > len(self._retry_delays):
            return
        retry = _Job(
            time.monotonic() + self._retry_delays[job.attempt - 1],
            next(self._seq),
            job.event_id,
            job.event_type,
            job.payload,
            job.endpoint,
            job.attempt + 1,
        )
        with self._cond:
            if not self._closed:
                heapq.heappush(self._queue, retry)
                self._cond.notify_all()
