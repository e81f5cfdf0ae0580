"""A WhatsApp gateway that passes received media on: sends a media message by the id of a fresh upload.

`notify.send` names media by the id WhatsApp gave it when someone sent it to the business (the artist's
picture, say); Meta refuses to send by such an id. Wrapping the Graph gateway, this uploads the media to the
number first and sends by the upload's id. A transfer that fails is a `SendError` the sender already knows
how to handle: transient faults are retried, the rest give the message up with the transfer's reason.
"""

from __future__ import annotations

from typing import Any, Protocol

import structlog

from inkline_notifier.adapters.media_transfer import MediaTransferError
from inkline_notifier.adapters.whatsapp import SendError, WhatsAppGateway

log = structlog.get_logger(__name__)
_MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker"})


class MediaTransfer(Protocol):
    async def transfer(self, media_id: str, *, kind: str, filename: str | None = None) -> str: ...

    async def aclose(self) -> None: ...


class MediaForwardingWhatsApp:
    def __init__(self, gateway: WhatsAppGateway, transfer: MediaTransfer) -> None:
        self._gateway = gateway
        self._transfer = transfer

    async def send(self, body: dict[str, Any]) -> str:
        kind = str(body.get("type", ""))
        media = body.get(kind) if kind in _MEDIA_TYPES else None
        if isinstance(media, dict) and media.get("id"):
            body = body | {kind: media | {"id": await self._uploaded(str(media["id"]), kind, media)}}
        return await self._gateway.send(body)

    async def aclose(self) -> None:
        try:
            await self._transfer.aclose()
        finally:
            await self._gateway.aclose()

    async def _uploaded(self, media_id: str, kind: str, media: dict[str, Any]) -> str:
        try:
            return await self._transfer.transfer(media_id, kind=kind, filename=media.get("filename"))
        except MediaTransferError as exc:
            log.warning("media_transfer_failed", kind=kind, reason=exc.reason, detail=exc.detail)
            # Not sent: a definite failure. Without a status from Meta (a file over the size limit) it is
            # a request that will never succeed as it is (413), unless trying again may help.
            status = exc.http_status or (None if exc.retryable else 413)
            raise SendError(http_status=status, code=None, detail=exc.detail, reason=exc.reason) from exc
