"""`/api/campaigns`: broadcast campaigns, their lifecycle, and their results; automatic ones (last-minute
offers of freed slots) are listed and reported the same way."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.api.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignReport,
    ExcludedPerson,
    ExclusionReason,
    ExclusionsOut,
    LaunchIn,
    MessagePreview,
    OfferedSlot,
    RecipientOut,
)
from inkline_campaigns.db import exclusions
from inkline_campaigns.db.message_preview import first_message
from inkline_campaigns.db.metrics import campaign_metrics, handoff_counts, outcome_counts
from inkline_campaigns.db.models import Campaign, Contact, LastMinuteOffer, Recipient, Segment
from inkline_campaigns.db.templates import load_template
from inkline_campaigns.domain.campaign_status import (
    EDITABLE,
    Action,
    CampaignStatus,
    TransitionError,
    transition,
)
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.domain.templates import Parameter, TemplateMismatchError, check_fit
from inkline_platform.clock import Clock, utc_now
from inkline_platform.uow import UnitOfWorkFactory

PARAMETERS = TypeAdapter(list[Parameter])


def _out(campaign: Campaign, offer: LastMinuteOffer | None = None) -> CampaignOut:
    fields = {c: getattr(campaign, c) for c in CampaignOut.model_fields if c != "offered_slot"}
    slot = (
        OfferedSlot.model_validate({c: getattr(offer, c) for c in OfferedSlot.model_fields})
        if offer is not None
        else None
    )
    return CampaignOut.model_validate({**fields, "parameters": campaign.parameters, "offered_slot": slot})


async def _offers(session: AsyncSession, campaign_ids: list[uuid.UUID]) -> dict[uuid.UUID, LastMinuteOffer]:
    rows = await session.scalars(select(LastMinuteOffer).where(LastMinuteOffer.campaign_id.in_(campaign_ids)))
    return {offer.campaign_id: offer for offer in rows}


async def _get(session: AsyncSession, campaign_id: uuid.UUID, *, lock: bool = False) -> Campaign:
    campaign = await session.get(Campaign, campaign_id, with_for_update=lock)
    if campaign is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no campaign {campaign_id}")
    return campaign


async def _check_segment(session: AsyncSession, segment_id: uuid.UUID) -> None:
    if await session.get(Segment, segment_id) is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"segment_id: no segment {segment_id}"
        )


def _apply(campaign: Campaign, body: CampaignIn) -> None:
    campaign.name = body.name
    campaign.tag = body.tag
    campaign.segment_id = body.segment_id
    campaign.template_name = body.template_name
    campaign.template_language = body.template_language
    campaign.parameters = PARAMETERS.dump_python(body.parameters, mode="json")
    campaign.scheduled_at = body.scheduled_at


def campaigns_router(*, uow: UnitOfWorkFactory, rules: MarketingRules, clock: Clock = utc_now) -> APIRouter:
    router = APIRouter(prefix="/api/campaigns", tags=["campaigns"])

    @router.get("")
    async def list_campaigns() -> list[CampaignOut]:
        """Every campaign, newest first."""
        async with uow() as unit:
            rows = list(await unit.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())))
            offers = await _offers(unit.session, [campaign.campaign_id for campaign in rows])
            return [_out(campaign, offers.get(campaign.campaign_id)) for campaign in rows]

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def create_campaign(body: CampaignIn) -> CampaignOut:
        """Create a draft campaign; nothing is sent until it is launched."""
        async with uow() as unit:
            await _check_segment(unit.session, body.segment_id)
            campaign = Campaign(campaign_id=uuid.uuid4(), status=CampaignStatus.DRAFT.value)
            _apply(campaign, body)
            unit.session.add(campaign)
            await _commit_unique_tag(unit.commit, body.tag)
            return _out(campaign)

    @router.get("/{campaign_id}")
    async def get_campaign(campaign_id: uuid.UUID) -> CampaignOut:
        """One campaign."""
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id)
            return _out(campaign, await unit.session.get(LastMinuteOffer, campaign_id))

    @router.put("/{campaign_id}")
    async def update_campaign(campaign_id: uuid.UUID, body: CampaignIn) -> CampaignOut:
        """Edit a draft campaign."""
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id, lock=True)
            if CampaignStatus(campaign.status) not in EDITABLE:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, detail=f"a {campaign.status} campaign cannot be edited"
                )
            await _check_segment(unit.session, body.segment_id)
            _apply(campaign, body)
            await _commit_unique_tag(unit.commit, body.tag)
            return _out(campaign)

    @router.delete("/{campaign_id}", status_code=status.HTTP_204_NO_CONTENT)
    async def delete_campaign(campaign_id: uuid.UUID) -> None:
        """Delete a draft campaign (a launched one is cancelled instead, to keep its history)."""
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id, lock=True)
            if CampaignStatus(campaign.status) not in EDITABLE:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    detail=f"a {campaign.status} campaign cannot be deleted; cancel it",
                )
            await unit.session.delete(campaign)
            await unit.commit()

    async def _act(campaign_id: uuid.UUID, action: Action, launch: LaunchIn | None = None) -> CampaignOut:
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id, lock=True)
            try:
                new_status = transition(CampaignStatus(campaign.status), action)
            except TransitionError as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
            if action is Action.LAUNCH:
                template = await load_template(unit.session, campaign.template_name)
                try:
                    check_fit(
                        template,
                        name=campaign.template_name,
                        language=campaign.template_language,
                        parameters=PARAMETERS.validate_python(campaign.parameters),
                    )
                except TemplateMismatchError as exc:
                    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
                if launch is not None and launch.scheduled_at is not None:
                    if launch.scheduled_at <= clock():
                        raise HTTPException(
                            status.HTTP_422_UNPROCESSABLE_CONTENT,
                            detail="scheduled_at: choose a time in the future",
                        )
                    campaign.scheduled_at = launch.scheduled_at
                campaign.launched_at = datetime.now(UTC)
            if action is Action.CANCEL:
                await unit.session.execute(
                    update(Recipient)
                    .where(Recipient.campaign_id == campaign_id, Recipient.state == "pending")
                    .values(state="cancelled")
                )
            campaign.status = new_status.value
            await unit.commit()
            return _out(campaign)

    @router.post("/{campaign_id}/launch")
    async def launch_campaign(campaign_id: uuid.UUID, body: LaunchIn | None = None) -> CampaignOut:
        """Schedule the campaign (now, or at its scheduled time, or at the body's `scheduled_at`); refused
        when it does not fit its template."""
        return await _act(campaign_id, Action.LAUNCH, body)

    @router.post("/{campaign_id}/pause")
    async def pause_campaign(campaign_id: uuid.UUID) -> CampaignOut:
        """Stop handing messages to the notifier until resumed."""
        return await _act(campaign_id, Action.PAUSE)

    @router.post("/{campaign_id}/resume")
    async def resume_campaign(campaign_id: uuid.UUID) -> CampaignOut:
        """Carry on sending a paused campaign to the rest of its snapshot."""
        return await _act(campaign_id, Action.RESUME)

    @router.post("/{campaign_id}/cancel")
    async def cancel_campaign(campaign_id: uuid.UUID) -> CampaignOut:
        """Stop for good; contacts not yet messaged never will be by this campaign."""
        return await _act(campaign_id, Action.CANCEL)

    @router.get("/{campaign_id}/metrics")
    async def campaign_report(campaign_id: uuid.UUID) -> CampaignReport:
        """Sent, delivered, read, failed, replied, opted out, converted and revenue; recipients by state."""
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id)
            return CampaignReport(
                metrics=await campaign_metrics(unit.session, campaign),
                recipients=await handoff_counts(unit.session, campaign_id),
                **await outcome_counts(unit.session, campaign_id),
            )

    @router.get("/{campaign_id}/exclusions")
    async def campaign_exclusions(
        campaign_id: uuid.UUID, names: int = Query(default=5, ge=0, le=50)
    ) -> ExclusionsOut:
        """Who the campaign leaves out and why (and who waits for their morning), with a few names per
        reason. Before it starts, a forecast for its start time by the dispatcher's own rules."""
        now = clock()
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id)
            forecast = campaign.snapshot_at is None
            if forecast:
                at = max(campaign.scheduled_at or now, now)
                found = await exclusions.forecast(unit.session, rules, campaign, at=at, names=names)
            else:
                at = now
                found = await exclusions.recorded(unit.session, campaign, now=now, names=names)
        return ExclusionsOut(
            forecast=forecast,
            at=at,
            will_send=found.will_send,
            reasons=[
                ExclusionReason(
                    reason=reason,
                    count=count,
                    people=[
                        ExcludedPerson(name=p.name, number=p.number) for p in found.people.get(reason, [])
                    ],
                )
                for reason, count in found.counts.most_common()
            ],
        )

    @router.get("/{campaign_id}/message-preview")
    async def message_preview(campaign_id: uuid.UUID) -> MessagePreview:
        """The message as the first client of the audience would read it (404 when the audience is empty)."""
        async with uow() as unit:
            campaign = await _get(unit.session, campaign_id)
            preview = await first_message(unit.session, campaign)
        if preview is None:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, detail="no one in the audience can get this message"
            )
        return MessagePreview(name=preview.name, parameters=preview.parameters, text=preview.text)

    @router.get("/{campaign_id}/recipients")
    async def campaign_recipients(
        campaign_id: uuid.UUID, limit: int = Query(default=100, ge=1, le=1000)
    ) -> list[RecipientOut]:
        """Who the campaign was for and what became of each message, messaged ones first."""
        async with uow() as unit:
            await _get(unit.session, campaign_id)
            rows = await unit.session.execute(
                select(Recipient, Contact.profile_name, Contact.username)
                .join(Contact, Contact.wa_id == Recipient.wa_id)
                .where(Recipient.campaign_id == campaign_id)
                .order_by(Recipient.handed_off_at.asc().nulls_last(), Recipient.wa_id)
                .limit(limit)
            )
            from_contact = {"profile_name", "username"}
            return [
                RecipientOut.model_validate(
                    {
                        **{
                            c: getattr(recipient, c)
                            for c in RecipientOut.model_fields
                            if c not in from_contact
                        },
                        "profile_name": profile_name,
                        "username": username,
                    }
                )
                for recipient, profile_name, username in rows
            ]

    return router


async def _commit_unique_tag(commit: Callable[[], Awaitable[None]], tag: str) -> None:
    try:
        await commit()
    except IntegrityError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"the tag {tag!r} is already used by a campaign"
        ) from None
