"""What every call from the studio to another service's JSON API shares: a bearer token, a timeout, and
errors turned into one exception the pages can show."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr


class ServiceRefusedError(Exception):
    """The service answered 4xx: the artist asked for something it will not do; `detail` says why."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


class ServiceUnavailableError(Exception):
    """The service did not answer, or answered 5xx: nothing the artist did wrong; try again."""


def bearer_client(
    *, base_url: str, token: SecretStr, timeout: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """`transport` lets a test answer in-process (httpx.ASGITransport) instead of over a socket."""
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Authorization": f"Bearer {token.get_secret_value()}"},
        timeout=timeout,
        transport=transport,
    )


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    """The JSON body of a 2xx answer (None for 204); ServiceRefusedError or ServiceUnavailableError otherwise."""
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        raise ServiceUnavailableError(f"{client.base_url.host} did not answer: {type(exc).__name__}") from exc
    if response.status_code >= 500:
        raise ServiceUnavailableError(f"{client.base_url.host} answered {response.status_code}")
    if response.status_code >= 400:
        raise ServiceRefusedError(response.status_code, _detail(response))
    return None if response.status_code == 204 else response.json()


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return detail if isinstance(detail, str) else f"refused ({response.status_code})"
