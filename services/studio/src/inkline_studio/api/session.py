"""Who is signed in, and that a form was posted by the studio's own page.

The session cookie is an itsdangerous-signed, timestamped `{person id, CSRF nonce}`: HttpOnly,
SameSite=Lax (a link tapped in WhatsApp opens the studio signed in), Secure when served over https,
and refused once older than the session lifetime. Every form carries a CSRF token compared with a
second, signed cookie (the signed double-submit pattern), so forms work before sign-in too (the
sign-in form itself) and a page on another site cannot post one.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from fastapi import HTTPException, Request, Response, status
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import SecretStr

from inkline_platform.credentials import credential_matches

SESSION_COOKIE = "studio_session"
CSRF_COOKIE = "studio_csrf"
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class SignedIn:
    person_id: uuid.UUID


def served_over_https(request: Request) -> bool:
    """HTTPS to the browser, directly or at the proxy in front (trusting it only ever adds `Secure`)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


class Sessions:
    def __init__(
        self, secret: SecretStr, *, lifetime: timedelta, clock: Callable[[], float] = time.time
    ) -> None:
        key = secret.get_secret_value()
        self._sessions = _serializer(key, "inkline studio session v1", clock)
        self._csrf = _serializer(key, "inkline studio csrf v1", clock)
        self.lifetime = lifetime

    def sign_in(self, request: Request, response: Response, person_id: uuid.UUID) -> None:
        value = self._sessions.dumps(str(person_id))
        _set(request, response, SESSION_COOKIE, value, self.lifetime)

    def sign_out(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/")

    def current(self, request: Request) -> SignedIn | None:
        value = request.cookies.get(SESSION_COOKIE)
        if not value:
            return None
        try:
            person = self._sessions.loads(value, max_age=int(self.lifetime.total_seconds()))
            return SignedIn(person_id=uuid.UUID(str(person)))
        except (BadSignature, ValueError):
            return None

    def csrf_token(self, request: Request) -> str:
        """The token this browser's forms carry: its cookie's, or a new one `remember_csrf` will set."""
        existing = request.cookies.get(CSRF_COOKIE)
        if existing and self._valid_csrf(existing):
            return existing
        new: str | None = getattr(request.state, "new_csrf", None)
        if new is None:
            new = self._csrf.dumps(secrets.token_urlsafe(16))
            request.state.new_csrf = new
        return new

    def remember_csrf(self, request: Request, response: Response) -> None:
        new: str | None = getattr(request.state, "new_csrf", None)
        if new:
            _set(request, response, CSRF_COOKIE, new, timedelta(days=1))

    def _valid_csrf(self, value: str) -> bool:
        try:
            self._csrf.loads(value, max_age=int(timedelta(days=1).total_seconds()))
        except BadSignature:
            return False
        return True

    async def check_csrf(self, request: Request) -> None:
        """403 unless the posted form's token is this browser's signed CSRF cookie."""
        form = await request.form()
        given = form.get(CSRF_FIELD)
        cookie = request.cookies.get(CSRF_COOKIE)
        if not (
            isinstance(given, str)
            and cookie
            and self._valid_csrf(cookie)
            and credential_matches(given, cookie)
        ):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail="This form has expired. Go back, reload the page and try again.",
            )


def _serializer(key: str, salt: str, clock: Callable[[], float]) -> URLSafeTimedSerializer:
    serializer = URLSafeTimedSerializer(key, salt=salt)
    # itsdangerous stamps and checks ages with `get_timestamp` on its signer; a clock lets tests age a cookie.
    signer_class = serializer.signer

    class ClockedSigner(signer_class):  # type: ignore[misc,valid-type]
        def get_timestamp(self) -> int:
            return int(clock())

    serializer.signer = ClockedSigner
    return serializer


def _set(request: Request, response: Response, name: str, value: str, lifetime: timedelta) -> None:
    response.set_cookie(
        name,
        value,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=served_over_https(request),
        httponly=True,
        samesite="lax",
    )
