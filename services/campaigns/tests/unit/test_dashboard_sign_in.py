"""The dashboard's sign-in, against its router: signed expiring sessions, cookie flags, and the login limit.

Nothing here reaches the database: every request shown is answered by the sign-in itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from inkline_campaigns.api.dashboard import dashboard_router
from inkline_campaigns.api.dashboard_session import SESSION_COOKIE, DashboardSessions, LoginThrottle
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

TOKEN = SecretStr("campaigns-admin-token-of-32-char")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
T0 = 1_800_000_000.0


@dataclass
class FakeClock:
    now: float = T0

    def __call__(self) -> float:
        return self.now


@dataclass
class SignIn:
    client: httpx.AsyncClient
    sessions: DashboardSessions
    clock: FakeClock

    async def post(self, token: str, **headers: str) -> httpx.Response:
        return await self.client.post("/dashboard/login", content=f"token={token}", headers=FORM | headers)

    async def page_with(self, cookie: str) -> httpx.Response:
        return await self.client.get(
            "/dashboard", headers=[(b"Cookie", f"{SESSION_COOKIE}={cookie}".encode())]
        )


def _app(sessions: DashboardSessions, throttle: LoginThrottle, token: SecretStr = TOKEN) -> FastAPI:
    uow = UnitOfWorkFactory(make_session_factory(make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")))
    app = FastAPI()
    app.include_router(dashboard_router(uow=uow, token=token, sessions=sessions, throttle=throttle))
    return app


@pytest.fixture
async def sign_in() -> AsyncIterator[SignIn]:
    clock = FakeClock()
    sessions = DashboardSessions(TOKEN, clock=clock)
    app = _app(sessions, LoginThrottle(clock=clock))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://campaigns") as client:
        yield SignIn(client, sessions, clock)


def _set_cookie(response: httpx.Response) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        cookie.load(header)
    return cookie


async def test_signing_in_sets_a_signed_session_that_is_not_the_token(sign_in: SignIn) -> None:
    response = await sign_in.post(TOKEN.get_secret_value())

    assert response.status_code == 303
    session = _set_cookie(response)[SESSION_COOKIE]
    assert TOKEN.get_secret_value() not in session.value
    assert sign_in.sessions.is_valid(session.value)
    assert session["httponly"] is True
    assert session["samesite"].lower() == "strict"
    assert session["max-age"] == str(12 * 3600)
    assert session["path"] == "/dashboard"
    assert not session["secure"]  # plain http: a Secure cookie would never come back


@pytest.mark.parametrize(
    ("base_url", "headers"), [("https://campaigns", {}), ("http://campaigns", {"X-Forwarded-Proto": "https"})]
)
async def test_the_session_cookie_is_secure_when_the_browser_talks_https(
    base_url: str, headers: dict[str, str]
) -> None:
    app = _app(DashboardSessions(TOKEN), LoginThrottle())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
        response = await client.post(
            "/dashboard/login", content=f"token={TOKEN.get_secret_value()}", headers=FORM | headers
        )

    assert response.status_code == 303
    assert _set_cookie(response)[SESSION_COOKIE]["secure"] is True


async def test_signing_in_clears_the_old_cookie_that_held_the_token(sign_in: SignIn) -> None:
    response = await sign_in.post(TOKEN.get_secret_value())

    old = _set_cookie(response)["inkline_campaigns_token"]
    assert old.value == ""
    assert old["max-age"] == "0"


async def test_an_expired_session_gets_the_sign_in_form(sign_in: SignIn) -> None:
    session = sign_in.sessions.issue()
    sign_in.clock.now += timedelta(hours=12).total_seconds()

    page = await sign_in.page_with(session)

    assert page.status_code == 200
    assert 'name="token"' in page.text


@pytest.mark.parametrize(
    "forge",
    [
        lambda session: str(int(session.split(".")[0]) + 86_400) + "." + session.split(".")[1],  # extended
        lambda session: session[:-2] + ("AA" if not session.endswith("AA") else "BB"),  # altered MAC
        lambda session: TOKEN.get_secret_value(),  # the token itself, as the cookie used to hold
        lambda session: "9999999999." + "é" * 43,  # any characters
        lambda session: "",
    ],
)
async def test_a_forged_or_altered_session_gets_the_sign_in_form(
    sign_in: SignIn, forge: Callable[[str], str]
) -> None:
    page = await sign_in.page_with(forge(sign_in.sessions.issue()))

    assert page.status_code == 200
    assert 'name="token"' in page.text


def test_a_session_signed_for_another_admin_token_is_not_valid() -> None:
    other = DashboardSessions(SecretStr("another-admin-token-of-32-chars!")).issue()

    assert not DashboardSessions(TOKEN).is_valid(other)


def test_a_blank_admin_token_gives_no_valid_session() -> None:
    assert not DashboardSessions(SecretStr("")).is_valid("9999999999.")


async def test_the_sixth_wrong_token_in_fifteen_minutes_gets_429_even_with_the_right_token(
    sign_in: SignIn,
) -> None:
    wrong = [await sign_in.post(f"guess-{attempt}") for attempt in range(5)]
    sign_in.clock.now += 60
    blocked = await sign_in.post("guess-6")
    right_but_blocked = await sign_in.post(TOKEN.get_secret_value())

    assert [response.status_code for response in wrong] == [401] * 5
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) == 15 * 60 - 60
    assert "Try again in 14 minutes" in blocked.text
    assert right_but_blocked.status_code == 429


async def test_sign_in_opens_again_once_the_failures_are_fifteen_minutes_old(sign_in: SignIn) -> None:
    for attempt in range(5):
        await sign_in.post(f"guess-{attempt}")
    sign_in.clock.now += 15 * 60

    assert (await sign_in.post(TOKEN.get_secret_value())).status_code == 303


async def test_a_successful_sign_in_forgets_earlier_failures(sign_in: SignIn) -> None:
    for attempt in range(4):
        await sign_in.post(f"guess-{attempt}")
    await sign_in.post(TOKEN.get_secret_value())

    answers = [(await sign_in.post(f"again-{attempt}")).status_code for attempt in range(5)]

    assert answers == [401] * 5


def test_the_throttle_forgets_the_least_recent_addresses_beyond_its_bound() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(limit=1, max_addresses=2, clock=clock)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        throttle.failed(address)

    assert throttle.retry_after("10.0.0.1") is None
    assert throttle.retry_after("10.0.0.3") == 15 * 60


@pytest.mark.parametrize("body", [b"token=\xff\xfe", b"\xe9\xe9\xe9"])
async def test_a_sign_in_form_that_is_not_utf8_gets_400(sign_in: SignIn, body: bytes) -> None:
    response = await sign_in.client.post("/dashboard/login", content=body, headers=FORM)

    assert response.status_code == 400
    assert "could not be read" in response.text


async def test_a_non_ascii_token_is_just_wrong(sign_in: SignIn) -> None:
    response = await sign_in.post("tökén-%C3%A9")

    assert response.status_code == 401
