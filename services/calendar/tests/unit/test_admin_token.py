"""`/admin/*` refuses a wrong bearer token in any characters with 401, and a blank admin token opens nothing."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from inkline_calendar.api.admin import admin_router
from inkline_calendar.settings import EXAMPLE_SEED
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

TOKEN = "calendar-admin-token-of-32-chars"


def _app(token: str) -> FastAPI:
    # Refused requests never reach the database.
    uow = UnitOfWorkFactory(make_session_factory(make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")))
    app = FastAPI()
    app.include_router(admin_router(token=SecretStr(token), uow=uow, seed_file=EXAMPLE_SEED))
    return app


@pytest.mark.parametrize("given", ["Bearer tökén".encode(), b"Bearer \xe9\xe9", f"Bearer {TOKEN}é".encode()])
async def test_a_non_ascii_bearer_token_is_refused_with_401(given: bytes) -> None:
    transport = httpx.ASGITransport(app=_app(TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://calendar") as client:
        response = await client.get("/admin/availability", headers=[(b"Authorization", given)])

    assert response.status_code == 401


async def test_a_blank_admin_token_opens_nothing() -> None:
    transport = httpx.ASGITransport(app=_app(""))
    async with httpx.AsyncClient(transport=transport, base_url="http://calendar") as client:
        response = await client.get("/admin/availability", headers={"Authorization": "Bearer  "})

    assert response.status_code == 401
