"""Passing on media someone sent the business: download it from the Cloud API, upload it to the number.

Meta sends media only by the id of an upload from the sending number (`POST /{phone-number-id}/media`,
multipart, answered `{"id": ...}`) or by a public `link`; the id a webhook carries is for downloading:
`GET /{media-id}` answers `{"url", "mime_type", "file_size", ...}`, and that URL (valid a few minutes) is
fetched with the same bearer token. So a received picture is fetched and uploaded again, and sent by the new
id. Transient faults (5xx, 429, timeouts, dropped connections) are retried with backoff; the rest fail at once
with a reason a person can be told about.
"""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

_MB = 1024 * 1024
# Meta's "Supported media types": the largest file each kind of media message takes.
MAX_BYTES: dict[str, int] = {"image": 5 * _MB, "audio": 16 * _MB, "video": 16 * _MB, "document": 100 * _MB}
_UPLOAD_NAMES = {"image": "picture", "audio": "voice-note", "video": "video", "document": "document"}

FailureReason = Literal["media_unavailable", "media_too_large", "media_rejected", "media_transfer_failed"]


class MediaTransferError(Exception):
    """The media could not be passed on; `retryable` when trying again later may help."""

    def __init__(
        self, reason: FailureReason, detail: str, *, retryable: bool = False, http_status: int | None = None
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: FailureReason = reason
        self.detail = detail
        self.retryable = retryable
        self.http_status = http_status


class _MediaUrl(BaseModel):
    url: str
    mime_type: str
    file_size: int | None = None


class GraphMediaTransfer:
    def __init__(
        self,
        *,
        base_url: str,
        phone_number_id: str,
        access_token: str,
        timeout_seconds: float = 10.0,
        attempts: int = 3,
        retry_base_seconds: float = 0.5,
    ) -> None:
        self._upload_path = f"{phone_number_id}/media"
        self._attempts = attempts
        self._retry_base = retry_base_seconds
        # The download URL is on another host (Meta's lookaside), so it is fetched by its absolute URL
        # through the same client: the bearer token goes with it, as Meta requires.
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout_seconds,
        )

    async def transfer(self, media_id: str, *, kind: str, filename: str | None = None) -> str:
        """Download the received media `media_id` and upload it to the number; the upload's id."""
        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, MediaTransferError) and exc.retryable),
            stop=stop_after_attempt(self._attempts),
            # Jittered, so the replicas' retries after one outage do not come back together.
            wait=wait_exponential(multiplier=self._retry_base, max=self._retry_base * 8)
            + wait_random(0, self._retry_base),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    content, mime_type = await self._download(media_id, kind)
                    return await self._upload(content, mime_type, filename or _UPLOAD_NAMES.get(kind, kind))
                except httpx.TransportError as exc:  # timeouts, refused or reset connections
                    raise MediaTransferError(
                        "media_transfer_failed", f"{type(exc).__name__}: {exc}", retryable=True
                    ) from exc
        raise AssertionError("unreachable: tenacity reraises the last failure")  # pragma: no cover

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _download(self, media_id: str, kind: str) -> tuple[bytes, str]:
        limit = MAX_BYTES.get(kind, MAX_BYTES["document"])
        response = await self._client.get(media_id)
        _raise_for_status(response, "media url", gone="media_unavailable")
        try:
            described = _MediaUrl.model_validate_json(response.content)
        except ValidationError as exc:
            detail = f"media url: unexpected answer {response.text[:300]}"
            raise MediaTransferError("media_transfer_failed", detail, retryable=True) from exc
        if described.file_size is not None and described.file_size > limit:
            raise MediaTransferError(
                "media_too_large", f"{described.file_size} bytes, over {limit} for {kind}"
            )
        async with self._client.stream("GET", described.url) as download:
            if download.status_code >= 400:
                await download.aread()
            _raise_for_status(download, "download", gone="media_unavailable")
            content = bytearray()
            # Counted as it arrives: a file bigger than Meta would take is not held in memory whole.
            async for chunk in download.aiter_bytes():
                content.extend(chunk)
                if len(content) > limit:
                    raise MediaTransferError("media_too_large", f"over {limit} bytes for {kind}")
        return bytes(content), described.mime_type

    async def _upload(self, content: bytes, mime_type: str, filename: str) -> str:
        response = await self._client.post(
            self._upload_path,
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, content, mime_type)},
        )
        _raise_for_status(response, "upload", gone="media_rejected")
        try:
            uploaded: str = response.json()["id"]
        except (ValueError, KeyError, TypeError) as exc:
            detail = f"upload: unexpected answer {response.text[:300]}"
            raise MediaTransferError("media_transfer_failed", detail, retryable=True) from exc
        return uploaded


def _raise_for_status(response: httpx.Response, step: str, *, gone: FailureReason) -> None:
    status = response.status_code
    if status < 400:
        return
    detail = f"{step}: HTTP {status} {response.text[:300]}"
    if status >= 500 or status in (408, 429):
        raise MediaTransferError("media_transfer_failed", detail, retryable=True, http_status=status)
    if status == 401:
        # A rejected access token: nothing to retry now, but once an operator fixes it the media passes.
        raise MediaTransferError("media_transfer_failed", detail, http_status=status)
    # 400 (Graph's "object does not exist", an expired id; for an upload, a file Meta will not take), 403,
    # 404: waiting changes nothing.
    raise MediaTransferError(gone, detail, http_status=status)
