"""The dashboard's sign-in: a signed session that expires, and a limit on failed attempts per address.

The cookie proves that its holder signed in with the admin token without carrying the token: it is
`<expiry unix seconds>.<base64url HMAC-SHA256 of the expiry>`, keyed by a key derived from the admin token,
so it cannot open the bearer-token API, cannot be forged or extended, and changing the token signs every
browser out. Built on `hmac` rather than a signing library: this is the whole of it, and nothing else in
the workspace needs one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta

from fastapi import Request, Response
from pydantic import SecretStr

from inkline_platform.credentials import credential_matches

SESSION_COOKIE = "inkline_campaigns_session"
# Before sessions, the cookie held the admin token itself; a successful sign-in clears it from the browser.
PRE_SESSION_COOKIE = "inkline_campaigns_token"
COOKIE_PATH = "/dashboard"  # never sent to /api, which takes the bearer token only
SESSION_LIFETIME = timedelta(hours=12)
_KEY_PURPOSE = b"inkline campaigns dashboard session v1"


class DashboardSessions:
    """Issues and checks session values; `clock` is wall-clock Unix seconds."""

    def __init__(
        self,
        admin_token: SecretStr,
        *,
        lifetime: timedelta = SESSION_LIFETIME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        token = admin_token.get_secret_value()
        # A blank admin token opens nothing (settings refuse it outside the sandbox anyway).
        self._key = hmac.new(token.encode(), _KEY_PURPOSE, hashlib.sha256).digest() if token else None
        self._lifetime = lifetime
        self._clock = clock

    def _mac(self, expires: str) -> str:
        assert self._key is not None
        digest = hmac.new(self._key, expires.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue(self) -> str:
        expires = str(int(self._clock() + self._lifetime.total_seconds()))
        return f"{expires}.{self._mac(expires)}"

    def is_valid(self, value: str | None) -> bool:
        if self._key is None or not value:
            return False
        expires, _, mac = value.partition(".")
        if not (expires.isascii() and expires.isdigit()):
            return False
        return credential_matches(mac, self._mac(expires)) and int(expires) > self._clock()

    def set_cookie(self, request: Request, response: Response) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self.issue(),
            max_age=int(self._lifetime.total_seconds()),
            path=COOKIE_PATH,
            secure=served_over_https(request),
            httponly=True,
            samesite="strict",
        )
        response.delete_cookie(PRE_SESSION_COOKIE)


def served_over_https(request: Request) -> bool:
    """HTTPS to the browser: directly, or at the proxy in front (which says so in X-Forwarded-Proto).

    Trusting the header only ever adds `Secure`, which a spoofed value cannot turn into a weakness.
    """
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


class LoginThrottle:
    """At most `limit` failed sign-ins per client address within `window`, then 429 until the oldest ages out.

    Kept in memory, so each replica counts its own (a handful of replicas multiply the limit by that
    many, still far from a guessing rate that matters against a 32-character token). At most
    `max_addresses` are remembered, the least recently failing forgotten first.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        window: timedelta = timedelta(minutes=15),
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window.total_seconds()
        self._max_addresses = max_addresses
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address, deque())
        cutoff = self._clock() - self._window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(address, None)
        return failures

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None if it may try now."""
        failures = self._recent(address)
        if len(failures) < self._limit:
            return None
        frees_at = failures[len(failures) - self._limit] + self._window
        return max(1, math.ceil(frees_at - self._clock()))

    def failed(self, address: str) -> None:
        failures = self._recent(address)
        failures.append(self._clock())
        self._failures.pop(address, None)
        self._failures[address] = failures  # most recent last, so the oldest go first when full
        while len(self._failures) > self._max_addresses:
            del self._failures[next(iter(self._failures))]

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
