"""What the artist receives: lead summaries with action links, and handover packets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from inkline_contracts.events.lead import LeadQualified
from inkline_conversation.api.media_links import signed_media_url
from inkline_conversation.db.action_tokens import issue_action_links
from inkline_conversation.db.models import InboundMessage
from inkline_conversation.domain.money import Money, format_money
from inkline_conversation.domain.statuses import ActionKind
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import format_budget, format_day_range, format_windows

ACTION_LABELS: dict[ActionKind, str] = {
    ActionKind.APPROVE: "Approve",
    ActionKind.REJECT: "Reject",
    ActionKind.SEND_DEPOSIT: "Send deposit link",
    ActionKind.MARK_BOOKED: "Mark booked",
    ActionKind.TAKE_OVER: "Take over the chat",
    ActionKind.RESUME_BOT: "Hand back to the bot",
    ActionKind.NO_SHOW: "Mark no-show",
    ActionKind.WAIVE_FEE: "Waive the fee",
}
HEADLINES: dict[str, str] = {
    "new_lead": "New lead",
    "below_minimum": "New lead, below your minimum",
    "waitlisted": "New lead, waitlisted (you are not in their city on their dates)",
    "tour_accepted": "New lead for your tour",
    "reminder": "Still waiting for your decision",
}
_TRANSCRIPT_LINES = 20


async def action_block(turn: LeadTurn, actions: Sequence[ActionKind]) -> str:
    links = await issue_action_links(
        turn.work.session,
        lead_id=turn.lead.id,
        actions=actions,
        now=turn.now,
        ttl=turn.config.link_ttl,
        base_url=turn.config.settings.public_base_url,
    )
    return "\n".join(f"{ACTION_LABELS[action]}: {links[action]}" for action in actions)


def _reference_lines(turn: LeadTurn, qualified: LeadQualified) -> list[str]:
    settings = turn.config.settings
    # Reference images stay viewable for as long as the action links are valid.
    expires_at = turn.now + turn.config.link_ttl
    lines = [
        signed_media_url(
            base_url=settings.public_base_url,
            media_id=media_id,
            secret=settings.media_link_secret,
            expires_at=expires_at,
        )
        for media_id in qualified.reference_media_ids
    ]
    lines.extend((turn.lead.qualified or {}).get("reference_links", []))
    return lines


def summary_text(turn: LeadTurn, *, headline: str) -> str:
    qualified = LeadQualified.model_validate(turn.lead.qualified)
    record = turn.lead.qualified or {}
    settings = turn.config.settings
    lines = [f"{HEADLINES.get(headline, headline)}: {turn.client_name}", f"Idea: {qualified.idea}"]
    lines.append(f"Placement: {qualified.placement}")
    if qualified.size_cm is not None:
        length, width = qualified.size_cm
        dimensions = f"{length:g}x{width:g} cm" if width != length else f"{length:g} cm"
        lines.append(f"Size: {dimensions} ({qualified.size_category.value.replace('_', ' ')} session)")
    if qualified.style:
        lines.append(f"Style: {qualified.style}")
    budget = format_budget(qualified.budget_min, qualified.budget_max)
    minimum_check = record.get("minimum_check")
    if minimum_check == "below":
        policy = turn.config.consultation.minimum_spend
        minimum = policy.minimum_for(qualified.country_code) if policy else None
        budget += f" (below your minimum of {format_money(minimum)})" if minimum else " (below your minimum)"
    elif minimum_check == "currency_mismatch":
        budget += f" (quoted in {qualified.budget_max.currency}; please check against your minimum)"
    lines.append(f"Budget: {budget}")
    place = f"{qualified.city}, {qualified.country_code}"
    tour = record.get("tour")
    if tour:
        place += f" (accepted your {tour['city']} dates, {format_day_range_iso(tour)}; lives in {record.get('home_city')})"
    lines.append(f"Where: {place}")
    if qualified.preferred_windows:
        lines.append(f"Dates: {format_windows(qualified.preferred_windows, turn.config.tz)}")
    if qualified.instagram:
        lines.append(f"Instagram: @{qualified.instagram}")
    deposit_minor = settings.deposit_by_size_minor.get(qualified.size_category.value)
    if deposit_minor is not None:
        lines.append(
            f"Estimated deposit: {format_money(Money(minor=deposit_minor, currency=settings.artist_currency))}"
        )
    return "\n".join(lines)


def summary_links(turn: LeadTurn) -> str:
    """Reference images and the chat link: last, because a template fallback may cut a long message short."""
    qualified = LeadQualified.model_validate(turn.lead.qualified)
    lines = [f"Chat: https://wa.me/{turn.lead.wa_id}"]
    references = _reference_lines(turn, qualified)
    if references:
        lines.append("References:\n" + "\n".join(references))
    return "\n".join(lines)


def format_day_range_iso(leg: dict[str, str]) -> str:
    return format_day_range(date.fromisoformat(leg["first_day"]), date.fromisoformat(leg["last_day"]))


async def send_lead_summary(turn: LeadTurn, *, headline: str, actions: Sequence[ActionKind]) -> None:
    actions_text = await action_block(turn, actions)
    body = f"{summary_text(turn, headline=headline)}\n\n{actions_text}\n\n{summary_links(turn)}"
    turn.tell_artist(body, purpose="artist_lead_summary")


async def send_handover_packet(turn: LeadTurn, *, reason: str, field: str | None) -> None:
    """Everything the artist needs to pick up the chat: why, the client's words so far, and the way back."""
    rows = (
        await turn.work.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.lead_id == turn.lead.id)
            .order_by(InboundMessage.sent_at.desc(), InboundMessage.received_at.desc())
            .limit(_TRANSCRIPT_LINES)
        )
    ).all()
    transcript = "\n".join(
        f"{row.sent_at.astimezone(turn.config.tz):%d %b %H:%M} {row.text or f'[{row.kind}]'}"
        for row in reversed(rows)
    )
    why = reason.replace("_", " ")
    if field:
        why += f" while answering: {field}"
    actions_text = await action_block(turn, (ActionKind.RESUME_BOT, ActionKind.APPROVE, ActionKind.REJECT))
    # The links go before the transcript, which may be long enough for a template fallback to cut.
    body = (
        f"{turn.client_name} needs you personally ({why}).\n"
        f"Chat: https://wa.me/{turn.lead.wa_id}\n\n{actions_text}\n\n"
        f"Their messages so far:\n{transcript or '(none)'}"
    )
    turn.tell_artist(body, purpose="handover_alert")
