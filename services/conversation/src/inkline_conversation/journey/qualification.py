"""From a finished consultation to a lead the artist can decide on: rules, tour check, summary."""

from __future__ import annotations

import uuid
from typing import Any

from inkline_contracts import subjects
from inkline_contracts.base import Money as ContractMoney
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.lead import LeadQualified, TimeWindowPreference
from inkline_contracts.events.slots import CityDates, RequestSlots, SlotsSuggested
from inkline_conversation.domain.consultation_events import CompletedAnswers, ConsultationCompleted
from inkline_conversation.domain.rules import MinimumCheck
from inkline_conversation.domain.statuses import ActionKind, LeadStatus, Purpose
from inkline_conversation.journey import messages
from inkline_conversation.journey.artist_buttons import button_label
from inkline_conversation.journey.artist_messages import send_lead_summary
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.turn import LeadTurn

QUALIFY = Purpose.QUALIFY.value
OFFER = Purpose.OFFER.value
TOUR_YES = "tour:yes"
TOUR_NO = "tour:no"
# The "a slot came free" button the campaigns service sends to waitlisted clients.
LAST_MINUTE_PREFIX = "last_minute:"


def _qualified_event(turn: LeadTurn, done: ConsultationCompleted) -> LeadQualified:
    answers: CompletedAnswers = done.answers
    size = answers.size
    return LeadQualified(
        lead_id=turn.lead.id,
        wa_id=turn.lead.wa_id,
        idea=answers.idea,
        placement=answers.placement.description,
        size_cm=(size.length_cm, size.width_cm if size.width_cm is not None else size.length_cm),
        size_category=SizeCategory(done.size_category.value),
        style=(answers.style.description or ", ".join(answers.style.styles)) if answers.style else None,
        reference_media_ids=list(answers.references.media_ids) if answers.references else [],
        budget_min=ContractMoney(amount_minor=answers.budget.min_minor, currency=answers.budget.currency),
        budget_max=ContractMoney(amount_minor=answers.budget.max_minor, currency=answers.budget.currency),
        city=answers.location.city,
        country_code=answers.location.country_code,
        preferred_windows=[
            TimeWindowPreference(
                range=TimeRange(start=window.start, end=window.end),
                day_parts=sorted(part.value for part in window.day_parts),
            )
            for window in answers.windows
        ],
        instagram=answers.instagram.handle if answers.instagram else None,
        below_minimum=done.minimum_check is MinimumCheck.BELOW,
    )


def qualified_of(turn: LeadTurn) -> LeadQualified:
    assert turn.lead.qualified is not None, "only a completed consultation has qualified answers"
    return LeadQualified.model_validate(turn.lead.qualified)


def request_slots(turn: LeadTurn, *, purpose: str, city: str | None = None) -> None:
    """Ask the calendar where and when the artist can tattoo this lead; the answer names the request.

    The one way slots are asked for (a first offer, fresh times, a reschedule): always with the client's
    windows, which the calendar honours while any of them lies ahead."""
    qualified = qualified_of(turn)
    request_id = uuid.uuid4()
    turn.lead.slots_request_id = request_id
    turn.lead.slots_request_purpose = purpose
    turn.publish(
        subjects.SLOTS_REQUESTED,
        RequestSlots(
            request_id=request_id,
            lead_id=turn.lead.id,
            city=city or qualified.city,
            country_code=qualified.country_code,
            size_category=SizeCategory(turn.lead.size_category or qualified.size_category.value),
            preferences=qualified.preferred_windows,
        ),
    )


async def on_consultation_completed(turn: LeadTurn, done: ConsultationCompleted) -> None:
    """Record the answers; below the minimum the artist decides now, otherwise ask where the artist is."""
    event = _qualified_event(turn, done)
    record: dict[str, Any] = event.model_dump(mode="json")
    record["minimum_check"] = done.minimum_check.value if done.minimum_check else None
    record["reference_links"] = list(done.answers.references.links) if done.answers.references else []
    record["wording"] = {which.value: text for which, text in done.wording.items()}
    turn.lead.qualified = record
    turn.lead.size_category = done.size_category.value
    turn.publish(subjects.LEAD_QUALIFIED, event)
    if done.minimum_check is MinimumCheck.BELOW:
        turn.change_status(LeadStatus.BELOW_MINIMUM, reason="budget below the minimum spend")
        await send_lead_summary(
            turn,
            headline="below_minimum",
            actions=(ActionKind.APPROVE, ActionKind.REJECT, ActionKind.TAKE_OVER),
        )
        return
    request_slots(turn, purpose=QUALIFY)


def _in_city(city: str, suggestion: SlotsSuggested) -> bool:
    return any(slot.city.casefold() == city.casefold() for slot in suggestion.slots)


async def offer_tour(turn: LeadTurn, leg: CityDates) -> None:
    turn.lead.tour_offer = leg.model_dump(mode="json")
    turn.lead.slot_strikes = 0
    turn.change_status(LeadStatus.TOUR_OFFERED, reason=f"artist not in the client's city; offered {leg.city}")
    body = turn.render(
        "booking.tour_offer",
        client_city=qualified_of(turn).city,
        tour_city=leg.city,
        tour_dates=turn.formats.day_range(leg.first_day, leg.last_day),
    )
    turn.send(
        messages.buttons(
            body,
            [
                (TOUR_YES, turn.render("booking.tour_yes_button", tour_city=leg.city)),
                (TOUR_NO, turn.render("booking.tour_no_button")),
            ],
        ),
        purpose="tour_offer",
    )


async def waitlist(turn: LeadTurn, *, reason: str) -> None:
    turn.change_status(LeadStatus.WAITLISTED, reason=reason)
    turn.say("booking.waitlist", purpose="waitlist", city=qualified_of(turn).city)
    await send_lead_summary(turn, headline="waitlisted", actions=(ActionKind.APPROVE, ActionKind.REJECT))


async def on_qualifying_slots(turn: LeadTurn, suggestion: SlotsSuggested) -> None:
    """The calendar said where the artist is during the client's dates: qualify, offer a tour city, or waitlist."""
    qualified = qualified_of(turn)
    if _in_city(qualified.city, suggestion):
        turn.change_status(LeadStatus.QUALIFIED, reason="consultation complete")
        await send_lead_summary(
            turn, headline="new_lead", actions=(ActionKind.APPROVE, ActionKind.REJECT, ActionKind.TAKE_OVER)
        )
        return
    elsewhere = [leg for leg in suggestion.alternatives if leg.city.casefold() != qualified.city.casefold()]
    if elsewhere:
        await offer_tour(turn, elsewhere[0])
        return
    await waitlist(turn, reason=f"no dates in {qualified.city}")


async def on_tour_answer(turn: LeadTurn, accepted: bool) -> None:
    leg = CityDates.model_validate(turn.lead.tour_offer)
    if not accepted:
        await waitlist(turn, reason=f"declined {leg.city}")
        return
    record = dict(turn.lead.qualified or {})
    record["home_city"] = record.get("city")
    record["city"] = leg.city
    record["country_code"] = leg.country_code
    record["tour"] = leg.model_dump(mode="json")
    turn.lead.qualified = record
    turn.change_status(LeadStatus.QUALIFIED, reason=f"accepted the {leg.city} dates")
    turn.say("booking.tour_accepted", purpose="tour_accepted", tour_city=leg.city)
    await send_lead_summary(
        turn, headline="tour_accepted", actions=(ActionKind.APPROVE, ActionKind.REJECT, ActionKind.TAKE_OVER)
    )


async def on_last_minute_tap(turn: LeadTurn, message: ClientMessage) -> bool:
    """A waitlisted client wants a freed slot: the artist approves them, then the normal slot offer follows."""
    if not (message.text or "").strip().startswith(LAST_MINUTE_PREFIX):
        return False
    links = await turn.action_links((ActionKind.APPROVE,))
    turn.say("appointment.last_minute_asked", purpose="last_minute_reply")
    copy = turn.config.artist_copy
    turn.tell_artist(
        copy.render(
            "artist_alert.last_minute",
            name=turn.client_name,
            approve=button_label(ActionKind.APPROVE, copy),
            link=links[ActionKind.APPROVE],
        ),
        purpose="artist_last_minute_interest",
    )
    return True
