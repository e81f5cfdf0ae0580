"""The Graph fake refuses a token in any characters with Graph's 401, never a 500."""

from __future__ import annotations

import httpx
import pytest

from inkline_sandbox.graph import GraphState, create_graph_app

TOKEN = "test-token"


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ([(b"Authorization", "Bearer tökén".encode())], {}),
        ([(b"Authorization", b"Bearer \xe9")], {}),
        ([], {"access_token": "tökén"}),
    ],
)
async def test_a_non_ascii_access_token_is_refused_as_invalid(
    headers: list[tuple[bytes, bytes]], params: dict[str, str]
) -> None:
    transport = httpx.ASGITransport(app=create_graph_app(GraphState(access_token=TOKEN)))
    async with httpx.AsyncClient(transport=transport, base_url="http://graph") as client:
        response = await client.post(
            "/v21.0/106540352242922/messages",
            headers=headers,
            params=params,
            json={
                "messaging_product": "whatsapp",
                "to": "447700900123",
                "type": "text",
                "text": {"body": "hi"},
            },
        )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 190
