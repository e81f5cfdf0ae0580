"""`/api/segments`: saved audience filters with a live count and a preview."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.api.schemas import ContactPreview, SegmentIn, SegmentOut, SegmentPreview
from inkline_campaigns.db.models import Campaign, Segment
from inkline_campaigns.db.segment_sql import count_query, preview_query
from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_platform.uow import UnitOfWorkFactory

PreviewLimit = Annotated[int, Query(ge=1, le=100, description="how many contacts to show")]


def _out(segment: Segment) -> SegmentOut:
    return SegmentOut(
        segment_id=segment.segment_id,
        name=segment.name,
        filter=SegmentFilter.model_validate(segment.filter),
        builtin=segment.builtin,
    )


async def preview(session: AsyncSession, audience: SegmentFilter, limit: int) -> SegmentPreview:
    count = await session.scalar(count_query(audience))
    contacts = (await session.scalars(preview_query(audience, limit=limit))).all()
    return SegmentPreview(
        count=int(count or 0),
        contacts=[ContactPreview.model_validate(contact, from_attributes=True) for contact in contacts],
    )


async def _get(session: AsyncSession, segment_id: uuid.UUID) -> Segment:
    segment = await session.get(Segment, segment_id)
    if segment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no segment {segment_id}")
    return segment


def segments_router(*, uow: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(prefix="/api/segments", tags=["segments"])

    @router.get("")
    async def list_segments() -> list[SegmentOut]:
        """Every saved segment, built-in ones included."""
        async with uow() as unit:
            return [_out(s) for s in await unit.session.scalars(select(Segment).order_by(Segment.name))]

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def create_segment(body: SegmentIn) -> SegmentOut:
        """Save a named filter."""
        async with uow() as unit:
            segment = Segment(
                segment_id=uuid.uuid4(), name=body.name, filter=body.filter.model_dump(mode="json")
            )
            unit.session.add(segment)
            try:
                await unit.commit()
            except IntegrityError:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, detail=f"a segment is already named {body.name!r}"
                ) from None
            return _out(segment)

    @router.post("/preview")
    async def preview_filter(body: SegmentFilter, limit: PreviewLimit = 20) -> SegmentPreview:
        """Count and preview an unsaved filter, to try it before saving."""
        async with uow() as unit:
            return await preview(unit.session, body, limit)

    @router.get("/{segment_id}")
    async def get_segment(segment_id: uuid.UUID) -> SegmentOut:
        """One segment."""
        async with uow() as unit:
            return _out(await _get(unit.session, segment_id))

    @router.put("/{segment_id}")
    async def update_segment(segment_id: uuid.UUID, body: SegmentIn) -> SegmentOut:
        """Rename or refilter a segment; campaigns already sending keep their snapshot."""
        async with uow() as unit:
            segment = await _get(unit.session, segment_id)
            segment.name = body.name
            segment.filter = body.filter.model_dump(mode="json")
            segment.updated_at = func.now()
            try:
                await unit.commit()
            except IntegrityError:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, detail=f"a segment is already named {body.name!r}"
                ) from None
            return _out(segment)

    @router.delete("/{segment_id}", status_code=status.HTTP_204_NO_CONTENT)
    async def delete_segment(segment_id: uuid.UUID) -> None:
        """Delete a segment no campaign uses."""
        async with uow() as unit:
            segment = await _get(unit.session, segment_id)
            used = await unit.session.scalar(select(func.count()).where(Campaign.segment_id == segment_id))
            if used:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, detail=f"segment {segment.name!r} is used by {used} campaign(s)"
                )
            await unit.session.delete(segment)
            await unit.commit()

    @router.get("/{segment_id}/count")
    async def count_segment(segment_id: uuid.UUID) -> int:
        """How many contacts the segment matches right now."""
        async with uow() as unit:
            segment = await _get(unit.session, segment_id)
            return int(
                await unit.session.scalar(count_query(SegmentFilter.model_validate(segment.filter))) or 0
            )

    @router.get("/{segment_id}/preview")
    async def preview_segment(segment_id: uuid.UUID, limit: PreviewLimit = 20) -> SegmentPreview:
        """The live count and the first contacts of a saved segment."""
        async with uow() as unit:
            segment = await _get(unit.session, segment_id)
            return await preview(unit.session, SegmentFilter.model_validate(segment.filter), limit)

    return router
