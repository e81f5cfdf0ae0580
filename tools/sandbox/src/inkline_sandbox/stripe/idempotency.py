"""Stripe's v1 idempotency layer: the first result under a key is replayed; a different request is refused.

From Stripe's "Idempotent requests" docs: the status code and body of the first request are saved once the
endpoint has begun executing (errors included, even 500s); a retry with the same key gets that saved
response; a retry whose endpoint or parameters differ gets an `idempotency_error`. Keys are scoped to the
API key (the account and mode) and pruned after 24 hours.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inkline_sandbox.stripe.errors import StripeError, idempotency_mismatch

KEY_LIFETIME = 24 * 60 * 60


@dataclass(frozen=True)
class Saved:
    endpoint: str
    params: dict[str, Any]
    http_status: int
    body: dict[str, Any]
    request_id: str
    saved_at: float


@dataclass(frozen=True)
class Outcome:
    http_status: int
    body: dict[str, Any]
    request_id: str
    replayed: bool = False


class IdempotencyStore:
    """Not locked itself: `StripeState` holds its lock across lookup, execution and save."""

    def __init__(self) -> None:
        self._saved: dict[tuple[str, str], Saved] = {}

    def lookup(
        self, api_key: str, key: str, endpoint: str, params: dict[str, Any], now: float
    ) -> Saved | None:
        saved = self._saved.get((api_key, key))
        if saved is None or now - saved.saved_at > KEY_LIFETIME:
            return None
        if saved.endpoint != endpoint:
            raise idempotency_mismatch(key, endpoint_change=f"'{endpoint}' vs '{saved.endpoint}'")
        if saved.params != params:
            raise idempotency_mismatch(key)
        return saved

    def save(self, api_key: str, key: str, saved: Saved) -> None:
        self._saved[(api_key, key)] = saved

    def execute(
        self,
        api_key: str,
        key: str | None,
        endpoint: str,
        params: dict[str, Any],
        request_id: str,
        now: float,
        run: Callable[[], dict[str, Any]],
    ) -> Outcome:
        """Replay a saved result, refuse a mismatched reuse, or run and save (unless it failed validation)."""
        try:
            saved = self.lookup(api_key, key, endpoint, params, now) if key else None
        except StripeError as exc:
            return Outcome(exc.http_status, exc.body(request_id), request_id)
        if saved is not None:
            return Outcome(saved.http_status, copy.deepcopy(saved.body), saved.request_id, replayed=True)
        try:
            status, body = 200, run()
        except StripeError as exc:
            status, body = exc.http_status, exc.body(request_id)
            if not exc.saved:
                return Outcome(status, body, request_id)
        if key:
            self.save(api_key, key, Saved(endpoint, params, status, copy.deepcopy(body), request_id, now))
        return Outcome(status, body, request_id)
