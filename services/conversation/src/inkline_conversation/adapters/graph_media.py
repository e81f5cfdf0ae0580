"""Fetching a client's media from the WhatsApp Cloud API (Graph): the port and the client.

Meta's flow ("Retrieve Media URL", then "Download Media"): `GET {graph}/{media_id}` with the bearer token
answers `{"url", "mime_type", "sha256", "file_size", "id"}`; the URL is valid for about five minutes and
must be fetched with the same bearer token. So the URL is asked for right before each download, never
stored. Media ids from webhooks stay valid for seven days, which bounds how long retrying makes sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

# Images are at most 5 MB on WhatsApp and documents 100 MB; a reference for the artist has no business
# being bigger than this, and the bytes are kept in PostgreSQL.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FetchedMedia:
    content: bytes
    mime_type: str


class MediaFetchError(Exception):
    """The media could not be fetched; `retryable` says whether trying again later may help."""

    retryable: bool = True


class RetryableMediaError(MediaFetchError):
    retryable = True


class PermanentMediaError(MediaFetchError):
    retryable = False


class MediaSource(Protocol):
    async def fetch(self, media_id: str) -> FetchedMedia:
        """The media's bytes and MIME type; raises RetryableMediaError or PermanentMediaError."""
        ...


class _MediaUrl(BaseModel):
    url: str
    mime_type: str
    file_size: int | None = None


def _raise_for_status(response: httpx.Response, step: str) -> None:
    status = response.status_code
    if status < 400:
        return
    detail = f"{step}: HTTP {status} {response.text[:300]}"
    # 401 is a rejected access token: an operator can rotate it while the media id is still valid.
    if status >= 500 or status in (401, 408, 429):
        raise RetryableMediaError(detail)
    # 400 (Graph's "object does not exist"), 403, 404 and the rest will not change by waiting.
    raise PermanentMediaError(detail)


class GraphMediaSource:
    """The real Cloud API (or anything speaking it, such as the sandbox hub) at `base_url`."""

    def __init__(
        self,
        *,
        base_url: str,
        access_token: SecretStr,
        timeout_seconds: float = 30.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._access_token = access_token
        self._timeout = httpx.Timeout(timeout_seconds)
        self._max_bytes = max_bytes

    async def fetch(self, media_id: str) -> FetchedMedia:
        headers = {"Authorization": f"Bearer {self._access_token.get_secret_value()}"}
        # One client per fetch: downloads are rare and minutes apart, and the adapter then owns no
        # connection pool that someone has to remember to close.
        async with httpx.AsyncClient(headers=headers, timeout=self._timeout) as client:
            try:
                return await self._fetch(client, media_id)
            except httpx.TransportError as exc:  # timeouts, refused or reset connections
                raise RetryableMediaError(f"{type(exc).__name__}: {exc}") from exc

    async def _fetch(self, client: httpx.AsyncClient, media_id: str) -> FetchedMedia:
        response = await client.get(f"{self._base_url}/{media_id}")
        _raise_for_status(response, "media url")
        try:
            described = _MediaUrl.model_validate_json(response.content)
        except ValidationError as exc:
            raise RetryableMediaError(f"media url: unexpected answer {response.text[:300]}") from exc
        if described.file_size is not None and described.file_size > self._max_bytes:
            raise PermanentMediaError(f"media is {described.file_size} bytes, over {self._max_bytes}")
        async with client.stream("GET", described.url) as download:
            if download.status_code >= 400:
                await download.aread()
            _raise_for_status(download, "download")
            content = bytearray()
            async for chunk in download.aiter_bytes():
                content.extend(chunk)
                if len(content) > self._max_bytes:
                    raise PermanentMediaError(f"media is over {self._max_bytes} bytes")
        return FetchedMedia(content=bytes(content), mime_type=described.mime_type)
