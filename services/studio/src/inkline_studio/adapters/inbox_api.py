"""The conversation service's `/api/conversations` (bearer token): the Inbox's conversations, their
threads and the artist's replies. Take over and hand back are `/api/leads` actions (conversation_api.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import call


class ConversationSummary(BaseModel):
    lead_id: uuid.UUID
    wa_id: str
    client_name: str | None
    status: str
    language: str
    last_message_at: datetime
    window_open: bool
    actions: list[str]
    # The artist's timezone, as conversation knows it.
    timezone: str = "UTC"


class ThreadMessage(BaseModel):
    # client, assistant, or artist (the artist's own words, relayed).
    sender: str
    kind: str
    text: str | None
    at: datetime
    media_url: str | None = None
    template: str | None = None


class Thread(BaseModel):
    conversation: ConversationSummary
    messages: list[ThreadMessage]


class ReplyTemplate(BaseModel):
    """An approved template the artist may send outside the client's 24-hour window."""

    name: str
    title: str
    description: str
    parameters: list[str]

    @property
    def takes_words(self) -> bool:
        return "words" in self.parameters


class ReplySent(BaseModel):
    lead_id: uuid.UUID
    status: str
    sent_as: str
    held: bool = False  # part of a long reply waits for the client's next message


_CONVERSATIONS = TypeAdapter(list[ConversationSummary])
_TEMPLATES = TypeAdapter(list[ReplyTemplate])


class InboxApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def conversations(self, *, limit: int) -> list[ConversationSummary]:
        body = await call(self._client, "GET", "/api/conversations", params={"limit": limit})
        return _CONVERSATIONS.validate_python(body)

    async def thread(self, lead_id: uuid.UUID) -> Thread:
        """ServiceRefusedError (404) for a conversation that does not exist."""
        return Thread.model_validate(await call(self._client, "GET", f"/api/conversations/{lead_id}"))

    async def reply(self, lead_id: uuid.UUID, text: str) -> ReplySent:
        body = await call(self._client, "POST", f"/api/conversations/{lead_id}/reply", json={"text": text})
        return ReplySent.model_validate(body)

    async def templates(self) -> list[ReplyTemplate]:
        return _TEMPLATES.validate_python(await call(self._client, "GET", "/api/reply-templates"))

    async def send_template(self, lead_id: uuid.UUID, template: str, text: str) -> ReplySent:
        """ServiceRefusedError (422) for a template not on the approved list, or one missing its words."""
        body = await call(
            self._client,
            "POST",
            f"/api/conversations/{lead_id}/template",
            json={"template": template, "text": text},
        )
        return ReplySent.model_validate(body)

    async def media(self, path_and_query: str) -> httpx.Response:
        """A client's picture or voice note from conversation's signed media link (its path and query),
        streamed; the caller closes it. Conversation checks the signature and expiry."""
        request = self._client.build_request("GET", path_and_query)
        return await self._client.send(request, stream=True)
