"""The Campaigns screen: the list with results, the builder (audience with a live count, then the message),
and one campaign's page (launch, pause, results). Everything is read from and done by the campaigns service.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from inkline_studio.adapters.calendar_api import CalendarApi
from inkline_studio.adapters.campaigns_api import CampaignsApi
from inkline_studio.adapters.service_api import ServiceRefusedError, ServiceUnavailableError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.domain.audience import GROUPS, AudienceForm, campaign_tag
from inkline_studio.domain.campaign_schedule import (
    ScheduleError,
    artist_zone,
    start_at,
    suggested,
    when,
    zone_label,
)
from inkline_studio.domain.left_out import WAITING, reason_label
from inkline_studio.domain.template_blanks import (
    SOURCES,
    BlankError,
    default_source,
    parameter,
    readable_body,
)

PREVIEW_SIZE = 5
ACTIONS = ("launch", "pause", "resume", "cancel")


def _audience(form: dict[str, str]) -> AudienceForm:
    return AudienceForm.model_validate({**form, "opted_in_only": form.get("opted_in_only") == "on"})


async def _nothing() -> None:
    """What a page skips asking for, in the same gather as what it asks."""


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
    )


def campaigns_pages_router(
    *,
    api: CampaignsApi,
    calendar: CalendarApi,
    pages: Pages,
    guard: Callable[[Request], SignedIn],
    clock: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(prefix="/campaigns", tags=["campaigns"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def zone() -> ZoneInfo:
        """The artist's timezone, which the calendar keeps; UTC (and said so) when it cannot be asked."""
        try:
            return artist_zone((await calendar.availability()).get("timezone"))
        except ServiceUnavailableError:
            return ZoneInfo("UTC")

    @router.get("", response_class=HTMLResponse)
    async def campaigns_list(request: Request) -> Response:
        """Every campaign, newest first, with its figures."""
        campaigns, artist = await asyncio.gather(api.campaigns(), zone())
        launched = [c for c in campaigns if c.launched_at]
        found = await asyncio.gather(*(api.report(c.campaign_id) for c in launched))
        reports = {c.campaign_id: report for c, report in zip(launched, found, strict=True)}
        now = clock()
        starts = {
            c.campaign_id: when(c.scheduled_at, artist)
            for c in campaigns
            if c.scheduled_at and c.scheduled_at > now and c.status in ("scheduled", "paused")
        }
        return pages.render(
            request,
            "campaigns.html",
            campaigns=campaigns,
            reports=reports,
            starts=starts,
            screen="campaigns",
        )

    @router.get("/new", response_class=HTMLResponse)
    async def audience_page(request: Request) -> Response:
        """Step 1: who the campaign is for, with the live count."""
        audience = AudienceForm()
        preview = await api.preview(audience.segment_filter(), limit=PREVIEW_SIZE)
        return pages.render(
            request,
            "campaign_audience.html",
            audience=audience,
            groups=GROUPS,
            preview=preview,
            screen="campaigns",
        )

    @router.post("/new/count", response_class=HTMLResponse, dependencies=[csrf])
    async def audience_count(request: Request) -> Response:
        """The count and the first few people for the audience as the form now stands (the page's live count)."""
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        try:
            audience = _audience(form)
        except ValidationError as exc:
            return pages.render(request, "_audience_count.html", error=_problems(exc), status_code=422)
        preview = await api.preview(audience.segment_filter(), limit=PREVIEW_SIZE)
        return pages.render(request, "_audience_count.html", audience=audience, preview=preview)

    @router.post("/new", dependencies=[csrf])
    async def save_audience(
        request: Request, name: Annotated[str, Form(min_length=1, max_length=90)]
    ) -> Response:
        """Save the audience as a segment and go on to the message."""
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        try:
            audience = _audience(form)
            segment = await api.create_segment(name=name.strip(), audience=audience.segment_filter())
        except (ValidationError, ServiceRefusedError) as exc:
            error = _problems(exc) if isinstance(exc, ValidationError) else exc.detail
            audience = AudienceForm()
            preview = await api.preview(audience.segment_filter(), limit=PREVIEW_SIZE)
            return pages.render(
                request,
                "campaign_audience.html",
                audience=audience,
                groups=GROUPS,
                preview=preview,
                error=error,
                screen="campaigns",
                status_code=422,
            )
        return RedirectResponse(f"/campaigns/new/{segment.segment_id}", status.HTTP_303_SEE_OTHER)

    @router.get("/new/{segment_id}", response_class=HTMLResponse)
    async def message_page(request: Request, segment_id: uuid.UUID) -> Response:
        """Step 2: the approved template and what goes in it."""
        return await _message_page(request, segment_id)

    async def _message_page(
        request: Request, segment_id: uuid.UUID, *, error: str | None = None, status_code: int = 200
    ) -> Response:
        segment = await api.segment(segment_id)
        preview = await api.segment_preview(segment_id, limit=PREVIEW_SIZE)
        templates = await api.templates()
        return pages.render(
            request,
            "campaign_message.html",
            segment=segment,
            preview=preview,
            templates=templates,
            sources=SOURCES,
            default_source=default_source,
            readable_body=readable_body,
            error=error,
            screen="campaigns",
            status_code=status_code,
        )

    @router.post("/new/{segment_id}", dependencies=[csrf])
    async def create_campaign(
        request: Request,
        segment_id: uuid.UUID,
        name: Annotated[str, Form(min_length=1, max_length=100)],
        template: Annotated[str, Form(min_length=1, max_length=100)],
    ) -> Response:
        """Make the campaign (a draft: nothing is sent before Launch)."""
        form = await request.form()
        chosen = next((t for t in await api.templates() if t.name == template), None)
        if chosen is None:
            return await _message_page(
                request, segment_id, error="Choose one of the approved messages.", status_code=422
            )
        try:
            values = [
                parameter(
                    meaning=meaning,
                    source=str(form.get(f"{template}.{i}.from", "typed")),
                    typed=str(form.get(f"{template}.{i}", "")),
                )
                for i, meaning in enumerate(chosen.parameters, start=1)
            ]
        except BlankError as exc:
            return await _message_page(request, segment_id, error=str(exc), status_code=422)
        try:
            campaign = await api.create_campaign(
                name=name.strip(),
                tag=campaign_tag(name),
                segment_id=segment_id,
                template=template,
                language=chosen.languages[0],
                parameters=values,
            )
        except ServiceRefusedError as exc:
            return await _message_page(request, segment_id, error=exc.detail, status_code=422)
        return RedirectResponse(f"/campaigns/{campaign.campaign_id}", status.HTTP_303_SEE_OTHER)

    @router.get("/{campaign_id}", response_class=HTMLResponse)
    async def campaign_page(request: Request, campaign_id: uuid.UUID) -> Response:
        """One campaign: who it goes to, what it says, its buttons and its results."""
        return await _campaign_page(request, campaign_id)

    async def _campaign_page(
        request: Request,
        campaign_id: uuid.UUID,
        *,
        error: str | None = None,
        send_at: str | None = None,
        status_code: int = 200,
    ) -> Response:
        campaign = await api.campaign(campaign_id)
        draft = campaign.status == "draft"
        report, left_out, message, artist, preview, templates = await asyncio.gather(
            api.report(campaign_id),
            api.exclusions(campaign_id),
            api.message_preview(campaign_id),
            zone(),
            api.segment_preview(campaign.segment_id, limit=PREVIEW_SIZE)
            if campaign.segment_id and draft
            else _nothing(),
            api.templates(),
        )
        template = next((t for t in templates if t.name == campaign.template_name), None)
        later = campaign.scheduled_at is not None and campaign.scheduled_at > clock()
        return pages.render(
            request,
            "campaign.html",
            campaign=campaign,
            report=report,
            preview=preview,
            message=message,
            template=template,
            left_out=[r for r in left_out.reasons if r.reason != WAITING],
            waiting=next((r for r in left_out.reasons if r.reason == WAITING), None),
            will_send=left_out.will_send,
            forecast=left_out.forecast,
            reason_label=reason_label,
            readable_body=readable_body,
            starts=when(campaign.scheduled_at, artist) if later and campaign.scheduled_at else None,
            zone_label=zone_label(artist),
            send_at=send_at or suggested(clock(), artist),
            error=error,
            screen="campaigns",
            status_code=status_code,
        )

    @router.post("/{campaign_id}/schedule", dependencies=[csrf])
    async def schedule(
        request: Request, campaign_id: uuid.UUID, send_at: Annotated[str, Form(max_length=40)] = ""
    ) -> Response:
        """Launch a draft to start later, at a time on the artist's own clock."""
        try:
            at = start_at(send_at, await zone(), now=clock())
            await api.schedule(campaign_id, at)
        except ScheduleError as exc:
            return await _campaign_page(
                request, campaign_id, error=str(exc), send_at=send_at, status_code=422
            )
        except ServiceRefusedError as exc:
            return await _campaign_page(
                request, campaign_id, error=exc.detail, send_at=send_at, status_code=409
            )
        return RedirectResponse(f"/campaigns/{campaign_id}", status.HTTP_303_SEE_OTHER)

    @router.post("/{campaign_id}/{action}", dependencies=[csrf])
    async def act(request: Request, campaign_id: uuid.UUID, action: str) -> Response:
        """Launch, pause, resume or cancel."""
        if action not in ACTIONS:
            return await _campaign_page(request, campaign_id, error="Unknown action.", status_code=404)
        try:
            await api.act(campaign_id, action)
        except ServiceRefusedError as exc:
            return await _campaign_page(request, campaign_id, error=exc.detail, status_code=409)
        return RedirectResponse(f"/campaigns/{campaign_id}", status.HTTP_303_SEE_OTHER)

    return router
