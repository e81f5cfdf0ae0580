"""The conversation service's `/api/settings` (bearer token): the artist's settings the assistant uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import call


class SettingsVersion(BaseModel):
    # Kept as the service sends it: the studio edits the fields it shows and returns the rest unchanged.
    settings: dict[str, Any]
    currency: str
    changed_by: str | None
    changed_at: datetime | None


_HISTORY = TypeAdapter(list[SettingsVersion])


class ArtistSettingsApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def current(self) -> SettingsVersion:
        return SettingsVersion.model_validate(await call(self._client, "GET", "/api/settings"))

    async def save(self, settings: dict[str, Any], *, changed_by: str) -> SettingsVersion:
        """Refused (ServiceRefusedError, 422) when a value is out of range."""
        body = await call(
            self._client, "PUT", "/api/settings", json={"settings": settings, "changed_by": changed_by}
        )
        return SettingsVersion.model_validate(body)

    async def history(self, *, limit: int) -> list[SettingsVersion]:
        return _HISTORY.validate_python(
            await call(self._client, "GET", "/api/settings/history", params={"limit": limit})
        )
