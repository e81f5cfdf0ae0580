"""Reference images: the real Graph adapter against the Cloud API fake, the download job, the signed links."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from inkline_conversation.adapters.graph_media import (
    FetchedMedia,
    GraphMediaSource,
    PermanentMediaError,
    RetryableMediaError,
)
from inkline_conversation.api.media_links import media_router
from inkline_conversation.db.models import Contact, Lead, ReferenceMedia
from inkline_conversation.db.reference_media import download_pending_media, record_pending_media
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.graph import GraphState

JPEG = b"\xff\xd8\xff\xe0 a reference photo of a swallow"
# A 1x1 grey PNG, as a client's picture the sandbox's Graph fake holds.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\x9cc8\x01\x00\x00\xca\x00\xc9\x99\xca]~\x00\x00\x00\x00IEND\xaeB`\x82"
)
LINK_SECRET = SecretStr("media-link-secret")
RETRY = timedelta(seconds=30)


def _source(graph_url: str, graph_state: GraphState, **kwargs: int) -> GraphMediaSource:
    return GraphMediaSource(base_url=graph_url, access_token=SecretStr(graph_state.access_token), **kwargs)


# -- the adapter, over HTTP, against the fake speaking the Cloud API's wire format ------------------


async def test_the_graph_adapter_downloads_bytes_through_the_short_lived_media_url(
    graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="1001")

    fetched = await _source(graph_url, graph_state).fetch("1001")

    assert fetched == FetchedMedia(content=JPEG, mime_type="image/jpeg")


async def test_media_graph_does_not_know_is_a_permanent_error(
    graph_url: str, graph_state: GraphState
) -> None:
    with pytest.raises(PermanentMediaError, match="HTTP 400"):
        await _source(graph_url, graph_state).fetch("404404")


async def test_a_server_error_is_retryable_and_the_next_try_succeeds(
    graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="1002")
    graph_state.fail_media_next(131000)  # "Something went wrong", HTTP 500

    with pytest.raises(RetryableMediaError, match="HTTP 500"):
        await _source(graph_url, graph_state).fetch("1002")
    fetched = await _source(graph_url, graph_state).fetch("1002")

    assert fetched.content == JPEG


async def test_rate_limits_and_a_rejected_token_are_retryable(
    graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="1003")
    graph_state.fail_media_next(130429)
    wrong_token = GraphMediaSource(base_url=graph_url, access_token=SecretStr("expired"))

    with pytest.raises(RetryableMediaError, match="HTTP 429"):
        await _source(graph_url, graph_state).fetch("1003")
    with pytest.raises(RetryableMediaError, match="HTTP 401"):
        await wrong_token.fetch("1003")


async def test_an_unreachable_graph_is_retryable() -> None:
    source = GraphMediaSource(base_url="http://127.0.0.1:9/v21.0", access_token=SecretStr("t"))

    with pytest.raises(RetryableMediaError):
        await source.fetch("1004")


async def test_media_over_the_size_limit_is_refused_for_good(graph_url: str, graph_state: GraphState) -> None:
    graph_state.add_media(b"x" * 2048, "image/jpeg", media_id="1005")

    with pytest.raises(PermanentMediaError, match="over 1024"):
        await _source(graph_url, graph_state, max_bytes=1024).fetch("1005")


# -- the download job and the signed links, on PostgreSQL -----------------------------------------


@dataclass
class Media:
    client: httpx.AsyncClient
    uow: UnitOfWorkFactory
    clock: FakeClock
    lead_id: uuid.UUID

    async def record(self, media_id: str, mime_type: str = "image/jpeg") -> None:
        async with self.uow() as work:
            await record_pending_media(
                work.session,
                lead_id=self.lead_id,
                wamid=f"wamid.{media_id}",
                media_id=media_id,
                mime_type=mime_type,
                sha256="base64-from-the-webhook=",
            )
            await work.commit()

    async def row(self, media_id: str) -> ReferenceMedia:
        async with self.uow() as work:
            row = await work.session.get_one(ReferenceMedia, media_id)
            work.session.expunge(row)  # keep it loaded past the unit of work's rollback
            return row

    async def count(self) -> int:
        async with self.uow() as work:
            return int(await work.session.scalar(select(func.count()).select_from(ReferenceMedia)) or 0)

    def link(self, media_id: str, *, valid_for: timedelta = timedelta(days=7)) -> str:
        return signed_media_url(
            base_url="http://service",
            media_id=media_id,
            secret=LINK_SECRET,
            expires_at=self.clock.now + valid_for,
        )


@pytest.fixture
async def media(conversation_settings: ConversationSettings) -> AsyncIterator[Media]:
    runtime = ServiceRuntime(service="conversation", settings=conversation_settings)
    clock = FakeClock(datetime.now(UTC))
    router = media_router(uow=runtime.uow, secret=LINK_SECRET, clock=clock)
    app = runtime.create_app(title="reference media under test", routers=[router])
    lead_id = uuid.uuid4()
    async with running_service(app) as client:
        async with runtime.uow() as work:
            work.session.add(Contact(wa_id="447700900123", profile_name="Sam"))
            await work.session.flush()
            work.session.add(Lead(id=lead_id, wa_id="447700900123", status="consulting"))
            await work.commit()
        yield Media(client=client, uow=runtime.uow, clock=clock, lead_id=lead_id)


async def test_recording_the_same_media_twice_keeps_one_row_untouched(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="2001")
    await media.record("2001")
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    await media.record("2001")

    assert await media.count() == 1
    assert (await media.row("2001")).status == "stored"


async def test_a_pass_stores_what_downloads_and_fails_what_meta_does_not_know(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="2002")
    await media.record("2002")
    await media.record("2003")  # never registered with the fake: Graph answers 400

    tried = await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    stored, unknown = await media.row("2002"), await media.row("2003")
    assert tried == 2
    assert (stored.status, stored.content, stored.mime_type, stored.attempts) == (
        "stored",
        JPEG,
        "image/jpeg",
        1,
    )
    assert stored.stored_at == media.clock.now
    assert (unknown.status, unknown.attempts) == ("failed", 1)
    assert unknown.last_error is not None
    assert "HTTP 400" in unknown.last_error
    assert await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now) == 0


async def test_a_retryable_failure_waits_longer_each_time_then_succeeds(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="2004")
    graph_state.fail_media_next(131016, times=2)  # "Service unavailable", HTTP 503
    await media.record("2004")
    created = (await media.row("2004")).created_at
    source = _source(graph_url, graph_state)

    first = await download_pending_media(media.uow, source, now=created, retry_base=RETRY)
    too_soon = await download_pending_media(media.uow, source, now=created + RETRY / 2, retry_base=RETRY)
    second = await download_pending_media(media.uow, source, now=created + RETRY, retry_base=RETRY)
    # After two failures the next try is due 3 * RETRY after arrival, not RETRY after the last one.
    still_waiting = await download_pending_media(media.uow, source, now=created + 2 * RETRY, retry_base=RETRY)
    third = await download_pending_media(media.uow, source, now=created + 3 * RETRY, retry_base=RETRY)

    assert (first, too_soon, second, still_waiting, third) == (1, 0, 1, 0, 1)
    row = await media.row("2004")
    assert (row.status, row.attempts, row.content, row.last_error) == ("stored", 3, JPEG, None)


async def test_the_job_gives_up_after_the_last_attempt(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="2005")
    graph_state.fail_media_next(131000, times=10)
    await media.record("2005")
    later = media.clock.now + timedelta(days=1)  # every retry is due

    tries = [
        await download_pending_media(media.uow, _source(graph_url, graph_state), now=later, max_attempts=3)
        for _ in range(4)
    ]

    row = await media.row("2005")
    assert tries == [1, 1, 1, 0]
    assert (row.status, row.attempts, row.content) == ("failed", 3, None)
    assert row.last_error is not None
    assert "HTTP 500" in row.last_error


async def test_a_picture_on_the_sandbox_graph_fills_the_artist_link(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    # In the sandbox the real adapter downloads from the hub's Graph fake: there is no local stand-in.
    graph_state.add_media(PNG, "image/png", media_id="2006")
    await media.record("2006", mime_type="image/png")
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    response = await media.client.get(media.link("2006"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.content[12:16] == b"IHDR"


async def test_a_good_link_serves_the_bytes_privately(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="3001")
    await media.record("3001")
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    response = await media.client.get(media.link("3001"))

    assert response.status_code == 200
    assert response.content == JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "private"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == "inline"


async def test_a_document_that_is_not_an_image_is_downloaded_not_rendered(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    graph_state.add_media(b"<script>alert(1)</script>", "text/html", media_id="3002")
    await media.record("3002", mime_type="text/html")
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    response = await media.client.get(media.link("3002"))

    assert response.status_code == 200
    assert response.headers["content-disposition"] == "attachment"
    assert "sandbox" in response.headers["content-security-policy"]


async def test_tampered_links_are_forbidden(media: Media, graph_url: str, graph_state: GraphState) -> None:
    graph_state.add_media(JPEG, "image/jpeg", media_id="3003")
    await media.record("3003")
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)
    good = httpx.URL(media.link("3003"))
    expires, signature = good.params["expires"], good.params["signature"]

    other_media = await media.client.get("/media/3004", params={"expires": expires, "signature": signature})
    longer = await media.client.get(
        "/media/3003", params={"expires": str(int(expires) + 86400), "signature": signature}
    )
    forged = await media.client.get("/media/3003", params={"expires": expires, "signature": "A" * 43})
    unsigned = await media.client.get("/media/3003")

    assert [r.status_code for r in (other_media, longer, forged, unsigned)] == [403, 403, 403, 403]
    assert JPEG not in forged.content


async def test_an_expired_link_is_gone(media: Media) -> None:
    await media.record("3005")
    link = media.link("3005", valid_for=timedelta(hours=1))
    media.clock.now += timedelta(hours=1)

    response = await media.client.get(link)

    assert response.status_code == 410
    assert "expired" in response.text


async def test_links_report_unknown_pending_and_failed_media_clearly(
    media: Media, graph_url: str, graph_state: GraphState
) -> None:
    await media.record("3006")  # pending: nothing downloaded yet
    await media.record("3007")  # unknown to Graph, so it fails for good
    graph_state.fail_media_next(131000)  # fails 3006's try, leaving it pending
    await download_pending_media(media.uow, _source(graph_url, graph_state), now=media.clock.now)

    unknown = await media.client.get(media.link("no-such-media"))
    pending = await media.client.get(media.link("3006"))
    failed = await media.client.get(media.link("3007"))

    assert unknown.status_code == 404
    assert pending.status_code == 202
    assert "refresh in a moment" in pending.text
    assert failed.status_code == 502
    assert "send it again" in failed.text
