"""WhatsApp Cloud API: `POST {WHATSAPP_GRAPH_URL}/{phone-number-id}/messages`."""

from __future__ import annotations

from typing import Any, Protocol

import httpx
import structlog

log = structlog.get_logger(__name__)
# Failures before a connection to Meta existed (a refused or timed-out connect, no free pool slot).
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class SendError(Exception):
    """Meta refused the send, or never answered. `http_status` is None for timeouts and network errors.

    `outcome_unknown` when the request may have reached Meta and been accepted: the answer timed out,
    the connection broke after the request went out, or a success came back unreadable. `reason`, when
    set, is why the message is given up if this failure ends it (e.g. `media_too_large`).
    """

    def __init__(
        self,
        *,
        http_status: int | None,
        code: int | None,
        detail: str,
        outcome_unknown: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(f"{http_status} {code}: {detail}")
        self.http_status = http_status
        self.code = code
        self.detail = detail
        self.outcome_unknown = outcome_unknown
        self.reason = reason


class WhatsAppGateway(Protocol):
    async def send(self, body: dict[str, Any]) -> str:
        """Send one message body; returns Meta's wamid or raises `SendError`."""

    async def aclose(self) -> None: ...


class GraphWhatsApp:
    def __init__(
        self, *, base_url: str, phone_number_id: str, access_token: str, timeout_seconds: float = 10.0
    ) -> None:
        self._path = f"{phone_number_id}/messages"
        self._client = httpx.AsyncClient(
            # A trailing slash makes httpx append relative paths to the versioned base, not replace it.
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout_seconds,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
        )

    async def send(self, body: dict[str, Any]) -> str:
        try:
            response = await self._client.post(self._path, json=body)
        except _NEVER_SENT as exc:  # no connection: the request cannot have reached Meta
            raise SendError(http_status=None, code=None, detail=repr(exc)) from exc
        except httpx.HTTPError as exc:  # read timeouts, resets after the request went out
            raise SendError(http_status=None, code=None, detail=repr(exc), outcome_unknown=True) from exc
        if response.is_success:
            try:
                wamid: str = response.json()["messages"][0]["id"]
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                raise SendError(
                    http_status=response.status_code,
                    code=None,
                    detail=f"unexpected body: {response.text[:500]}",
                    outcome_unknown=True,
                ) from exc
            return wamid
        code, detail = _graph_error(response)
        raise SendError(http_status=response.status_code, code=code, detail=detail)

    async def aclose(self) -> None:
        await self._client.aclose()


def _graph_error(response: httpx.Response) -> tuple[int | None, str]:
    try:
        error = response.json()["error"]
        details = (error.get("error_data") or {}).get("details")
        message = str(error.get("message", ""))
        return int(error["code"]), f"{message} ({details})" if details else message
    except (ValueError, KeyError, TypeError):
        return None, response.text[:500]
