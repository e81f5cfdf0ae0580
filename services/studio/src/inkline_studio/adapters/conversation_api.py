"""The conversation service's `/api/leads` (bearer token): the leads board and the artist's actions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import call


class Lead(BaseModel):
    lead_id: uuid.UUID
    wa_id: str
    client_name: str | None
    status: str
    language: str
    created_at: datetime
    status_changed_at: datetime
    last_inbound_at: datetime | None
    size_category: str | None
    answers: dict[str, Any] | None
    actions: list[str]
    pictures: list[str] = []


class ActionDone(BaseModel):
    lead_id: uuid.UUID
    status: str
    message: str


_LEADS = TypeAdapter(list[Lead])


class ConversationApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def leads(self, statuses: list[str], *, limit: int) -> list[Lead]:
        body = await call(self._client, "GET", "/api/leads", params={"status": statuses, "limit": limit})
        return _LEADS.validate_python(body)

    async def search(
        self, text: str, *, limit: int, after: tuple[datetime, uuid.UUID] | None = None
    ) -> list[Lead]:
        """Leads whose client's name, @username, phone digits or idea match, latest change first; `after`
        (the last lead of the previous page: its status change and id) gives the next page."""
        params: dict[str, Any] = {"q": text, "limit": limit}
        if after is not None:
            params |= {"after_changed_at": after[0].isoformat(), "after_id": str(after[1])}
        return _LEADS.validate_python(await call(self._client, "GET", "/api/leads", params=params))

    async def act(self, lead_id: uuid.UUID, action: str) -> ActionDone:
        """Refused (ServiceRefusedError, 409) when the lead's status does not allow it, with the reason."""
        body = await call(self._client, "POST", f"/api/leads/{lead_id}/actions/{action}")
        return ActionDone.model_validate(body)
