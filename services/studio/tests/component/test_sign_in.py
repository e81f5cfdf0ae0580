"""Sign-in through a one-time link sent to the artist's WhatsApp, against the running studio (real
PostgreSQL and NATS): the link arrives as a notify.send, works once and only in time, forms need their CSRF
token, and the number of links one person can be sent is limited."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr

from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_studio.api.session import SESSION_COOKIE
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie

ARTIST = "447700900123"  # the studio_settings fixture's artist
SESSION_SECRET = "studio-tests-session-secret-0000000"  # and its session secret

LINK = re.compile(r"https://studio\.example/sign-in/[A-Za-z0-9_-]+")


@pytest.fixture
async def studio(
    studio_settings: StudioSettings, clock: Clock, campaigns_transport: httpx.ASGITransport
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(studio_settings, clock=clock, campaigns_transport=campaigns_transport)
    async with running_service(app) as client:
        yield client


async def ask_for_link(client: httpx.AsyncClient, number: str) -> httpx.Response:
    form = await client.get("/sign-in")
    return await client.post("/sign-in", data={"number": number, "csrf": csrf_of(form)})


async def test_the_link_reaches_the_artists_whatsapp_and_signs_in_once(
    studio: httpx.AsyncClient, nats_url: str
) -> None:
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        sent = await ask_for_link(studio, "+44 7700 900123")
        [message] = await probe.wait_for_count(1)
    link = LINK.search(message["payload"]["content"]["body"])
    assert link, message
    path = link.group(0).removeprefix("https://studio.example")

    confirm = await studio.get(path)
    assert SESSION_COOKIE not in studio.cookies, "opening the link (as a link preview does) signed in"
    signed_in = await studio.post(path, data={"csrf": csrf_of(confirm)})
    campaigns = await studio.get("/campaigns")
    studio.cookies.delete(SESSION_COOKIE)
    again = await studio.post(path, data={"csrf": csrf_of(confirm)})

    assert sent.status_code == 200
    assert "Check WhatsApp" in sent.text
    assert message["payload"]["to"] == ARTIST
    assert message["payload"]["category"] == "utility"
    assert "works once" in message["payload"]["content"]["body"]
    assert (confirm.status_code, signed_in.status_code) == (200, 303)
    assert signed_in.headers["location"] == "/leads"
    assert campaigns.status_code == 200
    assert "No campaigns yet" in campaigns.text
    assert again.status_code == 410
    assert SESSION_COOKIE not in again.cookies


async def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(
    studio: httpx.AsyncClient, nats_url: str
) -> None:
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        await ask_for_link(studio, ARTIST)
        [message] = await probe.wait_for_count(1)
    link = LINK.search(message["payload"]["content"]["body"])
    assert link
    path = link.group(0).removeprefix("https://studio.example")
    confirm = await studio.get(path)
    signed_in = await studio.post(
        path, data={"csrf": csrf_of(confirm)}, headers={"X-Forwarded-Proto": "https"}
    )

    [cookie] = [c for c in signed_in.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert "max-age=43200" in cookie.lower()


async def test_a_number_that_is_not_the_studios_gets_the_same_answer_and_no_message(
    studio: httpx.AsyncClient, nats_url: str
) -> None:
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        stranger = await ask_for_link(studio, "+49 151 0000000")
        await ask_for_link(studio, ARTIST)
        messages = await probe.wait_for_count(1)

    assert stranger.status_code == 200
    assert "Check WhatsApp" in stranger.text
    assert [m["payload"]["to"] for m in messages] == [ARTIST]


async def test_a_link_opened_after_its_fifteen_minutes_does_not_sign_in(
    studio: httpx.AsyncClient, nats_url: str, clock: Clock
) -> None:
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        await ask_for_link(studio, ARTIST)
        [message] = await probe.wait_for_count(1)
    link = LINK.search(message["payload"]["content"]["body"])
    assert link
    path = link.group(0).removeprefix("https://studio.example")
    form = await studio.get("/sign-in")
    clock.advance(timedelta(minutes=15, seconds=1))

    opened = await studio.get(path)
    pressed = await studio.post(path, data={"csrf": csrf_of(form)})

    assert (opened.status_code, pressed.status_code) == (410, 410)
    assert "no longer works" in opened.text
    assert SESSION_COOKIE not in studio.cookies


async def test_a_form_posted_without_its_csrf_token_is_refused_and_sends_nothing(
    studio: httpx.AsyncClient, nats_url: str
) -> None:
    await studio.get("/sign-in")  # the browser has its CSRF cookie; a forged form lacks the field
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        missing = await studio.post("/sign-in", data={"number": ARTIST})
        forged = await studio.post("/sign-in", data={"number": ARTIST, "csrf": "made-up"})
        await ask_for_link(studio, ARTIST)
        messages = await probe.wait_for_count(1)

    assert (missing.status_code, forged.status_code) == (403, 403)
    assert len(messages) == 1


async def test_the_sixth_link_within_an_hour_is_refused(
    studio: httpx.AsyncClient, nats_url: str, clock: Clock
) -> None:
    async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as probe:
        answers = [(await ask_for_link(studio, ARTIST)).status_code for _ in range(6)]
        await probe.wait_for_count(5)
        clock.advance(timedelta(hours=1))
        later = await ask_for_link(studio, ARTIST)
        messages = await probe.wait_for_count(6)

    assert answers == [200] * 5 + [429]
    assert later.status_code == 200
    assert len(messages) == 6


async def test_pages_behind_sign_in_send_a_stranger_to_the_sign_in_form(studio: httpx.AsyncClient) -> None:
    page = await studio.get("/campaigns")
    forged = await studio.get("/campaigns", headers={"Cookie": f"{SESSION_COOKIE}=person.forged.signature"})

    assert (page.status_code, page.headers["location"]) == (303, "/sign-in")
    assert (forged.status_code, forged.headers["location"]) == (303, "/sign-in")


async def test_pages_refuse_framing_and_keep_the_link_out_of_referers_and_caches(
    studio: httpx.AsyncClient,
) -> None:
    page = await studio.get("/sign-in")
    link_page = await studio.get("/sign-in/not-a-real-token")
    stylesheet = await studio.get("/static/studio.css")

    for response in (page, link_page):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
    assert link_page.status_code == 410
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.headers.get("cache-control", "")


async def test_signing_out_removes_the_session_cookie_from_this_browser(
    studio: httpx.AsyncClient, clock: Clock
) -> None:
    studio.cookies.update(signed_in_cookie(SecretStr(SESSION_SECRET), clock=clock))
    board_before = await studio.get("/campaigns")
    signed_out = await studio.post("/sign-out", data={"csrf": csrf_of(board_before)})

    [removal] = [c for c in signed_out.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert board_before.status_code == 200
    assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/sign-in")
    assert "max-age=0" in removal.lower()
    assert "path=/" in removal.lower()
