"""The campaigns service's admin API (`/api/...`, bearer token), as the studio's pages need it.

The models are the studio's own reading of campaigns' JSON (a service never imports another's code);
unknown fields are ignored, so campaigns can add some without breaking the studio.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import ServiceRefusedError, call


class ContactPreview(BaseModel):
    wa_id: str
    profile_name: str | None
    city: str | None
    style: str | None
    opted_in: bool


class AudiencePreview(BaseModel):
    count: int
    contacts: list[ContactPreview]


class Segment(BaseModel):
    segment_id: uuid.UUID
    name: str
    filter: dict[str, Any]


class Template(BaseModel):
    name: str
    languages: list[str]
    parameters: list[str]
    body: str | None = None


class Campaign(BaseModel):
    campaign_id: uuid.UUID
    kind: str
    name: str
    tag: str
    segment_id: uuid.UUID | None
    template_name: str
    template_language: str
    status: str
    audience_size: int | None
    scheduled_at: datetime | None = None
    launched_at: datetime | None
    completed_at: datetime | None


class Money(BaseModel):
    amount_minor: int
    currency: str


class Metrics(BaseModel):
    sent: int
    delivered: int
    read: int
    failed: int
    replied: int
    opted_out: int
    converted: int
    revenue: Money | None


class Report(BaseModel):
    metrics: Metrics
    recipients: dict[str, int]
    deposits: int = 0
    bookings: int = 0


class MessagePreview(BaseModel):
    name: str | None
    parameters: list[str]
    text: str | None


class Person(BaseModel):
    name: str | None
    number: str | None


class LeftOut(BaseModel):
    reason: str
    count: int
    people: list[Person]


class Exclusions(BaseModel):
    forecast: bool
    at: datetime
    will_send: int
    reasons: list[LeftOut]


_SEGMENTS = TypeAdapter(list[Segment])
_TEMPLATES = TypeAdapter(list[Template])
_CAMPAIGNS = TypeAdapter(list[Campaign])


class CampaignsApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def preview(self, audience: dict[str, Any], *, limit: int = 5) -> AudiencePreview:
        body = await call(
            self._client, "POST", "/api/segments/preview", json=audience, params={"limit": limit}
        )
        return AudiencePreview.model_validate(body)

    async def segment_preview(self, segment_id: uuid.UUID, *, limit: int = 5) -> AudiencePreview:
        body = await call(self._client, "GET", f"/api/segments/{segment_id}/preview", params={"limit": limit})
        return AudiencePreview.model_validate(body)

    async def segments(self) -> list[Segment]:
        return _SEGMENTS.validate_python(await call(self._client, "GET", "/api/segments"))

    async def segment(self, segment_id: uuid.UUID) -> Segment:
        return Segment.model_validate(await call(self._client, "GET", f"/api/segments/{segment_id}"))

    async def create_segment(self, *, name: str, audience: dict[str, Any]) -> Segment:
        body = await call(self._client, "POST", "/api/segments", json={"name": name, "filter": audience})
        return Segment.model_validate(body)

    async def templates(self) -> list[Template]:
        return _TEMPLATES.validate_python(await call(self._client, "GET", "/api/templates"))

    async def campaigns(self) -> list[Campaign]:
        return _CAMPAIGNS.validate_python(await call(self._client, "GET", "/api/campaigns"))

    async def campaign(self, campaign_id: uuid.UUID) -> Campaign:
        return Campaign.model_validate(await call(self._client, "GET", f"/api/campaigns/{campaign_id}"))

    async def create_campaign(
        self,
        *,
        name: str,
        tag: str,
        segment_id: uuid.UUID,
        template: str,
        language: str,
        parameters: list[dict[str, Any]],
    ) -> Campaign:
        body = {
            "name": name,
            "tag": tag,
            "segment_id": str(segment_id),
            "template_name": template,
            "template_language": language,
            "parameters": parameters,
        }
        return Campaign.model_validate(await call(self._client, "POST", "/api/campaigns", json=body))

    async def act(self, campaign_id: uuid.UUID, action: str) -> Campaign:
        """launch, pause, resume or cancel."""
        body = await call(self._client, "POST", f"/api/campaigns/{campaign_id}/{action}")
        return Campaign.model_validate(body)

    async def schedule(self, campaign_id: uuid.UUID, at: datetime) -> Campaign:
        """Launch a draft to start at `at` instead of now."""
        body = await call(
            self._client,
            "POST",
            f"/api/campaigns/{campaign_id}/launch",
            json={"scheduled_at": at.isoformat()},
        )
        return Campaign.model_validate(body)

    async def exclusions(self, campaign_id: uuid.UUID, *, names: int = 5) -> Exclusions:
        """Who is left out and why (a forecast until the campaign starts), with a few names each."""
        body = await call(
            self._client, "GET", f"/api/campaigns/{campaign_id}/exclusions", params={"names": names}
        )
        return Exclusions.model_validate(body)

    async def message_preview(self, campaign_id: uuid.UUID) -> MessagePreview | None:
        """The message as the audience's first client reads it; None when no one can get it."""
        try:
            body = await call(self._client, "GET", f"/api/campaigns/{campaign_id}/message-preview")
        except ServiceRefusedError as exc:
            if exc.status_code == 404:
                return None
            raise
        return MessagePreview.model_validate(body)

    async def report(self, campaign_id: uuid.UUID) -> Report:
        return Report.model_validate(await call(self._client, "GET", f"/api/campaigns/{campaign_id}/metrics"))
