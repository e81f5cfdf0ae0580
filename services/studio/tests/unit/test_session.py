"""The session cookie: signed, expiring, and not forgeable; sign-in links stay out of logs and spans."""

from __future__ import annotations

import uuid
from datetime import timedelta

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import Response

from inkline_platform.redaction import redact_secrets
from inkline_studio.api.session import SESSION_COOKIE, Sessions


def request_with(cookie: str | None = None, scheme: str = "http") -> Request:
    headers = [(b"cookie", f"{SESSION_COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "scheme": scheme, "headers": headers, "path": "/", "server": ("s", 80)})


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def issued(sessions: Sessions, person: uuid.UUID) -> str:
    response = Response()
    sessions.sign_in(request_with(), response, person)
    cookie = response.headers["set-cookie"]
    return cookie.split(";")[0].split("=", 1)[1]


def test_a_session_lasts_its_lifetime_and_not_a_second_more() -> None:
    clock, person = Clock(), uuid.uuid4()
    sessions = Sessions(SecretStr("s" * 32), lifetime=timedelta(hours=12), clock=clock)
    value = issued(sessions, person)

    clock.now += 12 * 3600
    still = sessions.current(request_with(value))
    clock.now += 1
    expired = sessions.current(request_with(value))

    assert still is not None
    assert still.person_id == person
    assert expired is None


def test_a_cookie_signed_with_another_secret_or_edited_is_refused() -> None:
    person = uuid.uuid4()
    ours = Sessions(SecretStr("s" * 32), lifetime=timedelta(hours=1))
    theirs = Sessions(SecretStr("t" * 32), lifetime=timedelta(hours=1))
    value = issued(theirs, person)
    # Someone else's person id with this session's signature: `<payload>.<timestamp>.<signature>`.
    other_payload = issued(ours, uuid.uuid4()).split(".")[0]
    edited = ".".join([other_payload, *issued(ours, person).split(".")[1:]])

    assert ours.current(request_with(value)) is None
    assert ours.current(request_with(edited)) is None
    assert ours.current(request_with("garbage")) is None


def test_the_session_cookie_is_secure_only_over_https() -> None:
    sessions = Sessions(SecretStr("s" * 32), lifetime=timedelta(hours=1))
    plain, tls = Response(), Response()
    sessions.sign_in(request_with(), plain, uuid.uuid4())
    sessions.sign_in(request_with(scheme="https"), tls, uuid.uuid4())

    assert "secure" not in plain.headers["set-cookie"].lower()
    assert "secure" in tls.headers["set-cookie"].lower()


def test_a_sign_in_link_is_redacted_like_an_action_link() -> None:
    line = "GET https://studio.example/sign-in/AbC_123-xyz HTTP/1.1"

    assert redact_secrets(line) == "GET https://studio.example/sign-in/[redacted] HTTP/1.1"
    assert redact_secrets("POST /sign-in HTTP/1.1") == "POST /sign-in HTTP/1.1"
