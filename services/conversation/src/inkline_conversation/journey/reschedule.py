"""Moving a booking in chat, within the artist's policy.

The lead stays BOOKED while a reschedule is under way: the old time is the client's until calendar moves
the booking onto the new hold in one step (booking.moved). The stages (domain/appointment_change.py):
FINDING (slots asked) → CHOOSING (list shown) → HOLDING (hold asked) → MOVING (move asked); or
COST_OFFERED when the policy says it is not free (keep the date, or ask the artist).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

import structlog

from inkline_contracts import subjects
from inkline_contracts.events.booking import BookingMoved, BookingMoveRejected, MoveBooking
from inkline_contracts.events.hold import HoldPlaced, HoldRejected
from inkline_contracts.events.slots import SlotsSuggested
from inkline_conversation.domain.appointment_change import Reschedule, RescheduleStage
from inkline_conversation.domain.appointment_policy import ChangeCost, hours
from inkline_conversation.domain.parsing.slot_pick import Picked
from inkline_conversation.domain.statuses import LeadStatus, Purpose
from inkline_conversation.journey import messages, slot_offers
from inkline_conversation.journey.appointments import replan_messages
from inkline_conversation.journey.booked_appointment import (
    KEEP_ID,
    booked,
    booked_time,
    clear_change,
    current_change,
    policy_of,
    set_change,
    tell_artist_with_waiver,
)
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.qualification import qualified_of, request_slots
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import local_slot

log = structlog.get_logger(__name__)

RESCHEDULE = Purpose.RESCHEDULE.value
ASK_ARTIST_ID = "appt:ask_artist"
PICK_STRIKES_BEFORE_HANDOVER = 2


def _reschedule(turn: LeadTurn) -> Reschedule | None:
    change = current_change(turn)
    return change if isinstance(change, Reschedule) else None


def _stage(turn: LeadTurn) -> RescheduleStage | None:
    change = _reschedule(turn)
    return change.stage if change is not None else None


def _move_to(
    turn: LeadTurn, stage: RescheduleStage, *, slot_id: str | None = None, hold_id: uuid.UUID | None = None
) -> None:
    """The reschedule under way moves on to `stage`, keeping what it already knew."""
    change = _reschedule(turn)
    assert change is not None, "only a reschedule under way moves on"
    set_change(
        turn,
        replace(change, stage=stage, slot_id=slot_id or change.slot_id, hold_id=hold_id or change.hold_id),
    )


async def start_reschedule(turn: LeadTurn) -> None:
    """Free under the policy: fetch new times. Otherwise say what it costs and let the client choose."""
    start, _ = booked(turn)
    policy = policy_of(turn)
    cost = policy.reschedule_cost(
        now=turn.now,
        start=start,
        reschedules_used=turn.lead.reschedules_used,
        waived=turn.lead.fee_waived_at is not None,
    )
    if cost is ChangeCost.FREE:
        set_change(turn, Reschedule(stage=RescheduleStage.FINDING))
        turn.say("appointment.reschedule_finding", purpose="reschedule")
        request_new_times(turn)
        return
    set_change(turn, Reschedule(stage=RescheduleStage.COST_OFFERED, cost=cost))
    key = "appointment.reschedule_late" if cost is ChangeCost.LATE else "appointment.reschedule_used_up"
    body = turn.render(key, hours=hours(policy.free_reschedule_notice), slot_time=booked_time(turn))
    turn.send(
        messages.buttons(
            body,
            [
                (KEEP_ID, turn.render("appointment.keep_button")),
                (ASK_ARTIST_ID, turn.render("appointment.ask_artist_button")),
            ],
        ),
        purpose="reschedule_terms",
    )


def restart_finding(turn: LeadTurn) -> None:
    """After the artist's waiver: fetch new times as if the move had been free from the start."""
    set_change(turn, Reschedule(stage=RescheduleStage.FINDING))
    request_new_times(turn)


def _booking_city(turn: LeadTurn) -> str:
    booking = turn.lead.booking_range or {}
    return str(booking.get("city") or qualified_of(turn).city)


def request_new_times(turn: LeadTurn) -> None:
    """Slots of the same size (so the same length) where the booking is, asked for exactly as the first
    offer was, so the client's days and times are honoured the same way (weekdays stay weekdays)."""
    request_slots(turn, purpose=RESCHEDULE, city=_booking_city(turn))


async def offer_new_times(turn: LeadTurn, suggestion: SlotsSuggested) -> None:
    """The calendar's answer to a reschedule: a tappable list, without the time the client already has."""
    if turn.status is not LeadStatus.BOOKED or _stage(turn) is not RescheduleStage.FINDING:
        log.info("reschedule_slots_ignored", lead_id=str(turn.lead.id), status=turn.status.value)
        return
    start, _ = booked(turn)
    slots = [slot for slot in suggestion.slots if slot.range.start != start]
    if not slots:
        turn.say("appointment.reschedule_none", purpose="reschedule", slot_time=booked_time(turn))
        turn.tell_artist(
            turn.config.artist_copy.render(
                "artist_alert.reschedule_no_slots", name=turn.client_name, when=booked_time(turn)
            ),
            purpose="artist_reschedule_no_slots",
        )
        clear_change(turn)
        return
    slot_offers.remember_offer(turn, slots)
    _move_to(turn, RescheduleStage.CHOOSING)
    body = turn.render(
        "appointment.reschedule_choose",
        slot_list=slot_offers.numbered_list(turn, slots),
        slot_time=booked_time(turn),
    )
    if not suggestion.preference_met:
        # As with the first offer: the client hears when none of their dates had room.
        body = turn.render("booking.slots_outside_preference") + "\n" + body
    turn.send(
        slot_offers.slot_list(turn, slots, body=body, section_key="booking.new_times_section"),
        purpose="reschedule_choice",
    )


async def on_pick(turn: LeadTurn, text: str) -> None:
    """The client answered the list of new times: hold the pick, or ask again (two misses hand over)."""
    choice = slot_offers.pick(turn, text)
    if isinstance(choice, Picked):
        slot = slot_offers.request_hold(turn, choice)
        _move_to(turn, RescheduleStage.HOLDING, slot_id=str(slot["slot_id"]))
        return
    turn.lead.slot_strikes += 1
    if turn.lead.slot_strikes >= PICK_STRIKES_BEFORE_HANDOVER:
        clear_change(turn)
        await hand_over(turn, reason="reschedule_pick_unclear", field="slot")
        return
    turn.say("booking.slot_no_match", purpose="slot_choice_repair")


def is_reschedule_hold(turn: LeadTurn) -> bool:
    return turn.status is LeadStatus.BOOKED and _stage(turn) is RescheduleStage.HOLDING


def in_progress(turn: LeadTurn) -> RescheduleStage | None:
    """The stage of the reschedule under way, if any."""
    return _stage(turn)


async def on_reschedule_hold_placed(turn: LeadTurn, placed: HoldPlaced) -> None:
    """The new time is held: ask calendar to move the booking onto it, in one step."""
    assert turn.lead.booking_id is not None
    _move_to(turn, RescheduleStage.MOVING, hold_id=placed.hold_id)
    turn.publish(
        subjects.BOOKING_MOVE_REQUESTED,
        MoveBooking(
            booking_id=turn.lead.booking_id,
            lead_id=turn.lead.id,
            hold_id=placed.hold_id,
            reason="client rescheduled in chat",
        ),
    )


async def on_reschedule_hold_rejected(turn: LeadTurn, rejected: HoldRejected) -> None:
    turn.say("appointment.reschedule_taken", purpose="reschedule", slot_time=booked_time(turn))
    _move_to(turn, RescheduleStage.FINDING)
    request_new_times(turn)


async def on_booking_moved(turn: LeadTurn, moved: BookingMoved) -> None:
    """The booking is on its new time: reminders are planned again and both phones hear about it."""
    if turn.lead.booking_id != moved.booking_id:
        return
    booking = turn.lead.booking_range or {}
    if booking.get("start") and datetime.fromisoformat(booking["start"]) == moved.range.start:
        return  # the same move announced again
    old_time = local_slot(moved.previous_range.start, moved.previous_range.end, turn.booking_tz)
    turn.lead.booking_range = {
        **moved.range.model_dump(mode="json"),
        "city": moved.city,
        "timezone": moved.timezone or booking.get("timezone"),
    }
    tz = turn.booking_tz
    turn.lead.hold_id = moved.hold_id
    # Only the client's own reschedule counts against the policy; the artist moving it (from the studio,
    # with no reschedule under way in chat) uses neither their free change nor a waiver.
    clients_own = _stage(turn) is RescheduleStage.MOVING
    if clients_own:
        turn.lead.reschedules_used += 1
        # A waiver covers one change.
        turn.lead.fee_waived_at = None
    clear_change(turn)
    await replan_messages(turn, booking_id=moved.booking_id, booked=moved.range)
    new_time = local_slot(moved.range.start, moved.range.end, tz)
    turn.say(
        "appointment.rescheduled" if clients_own else "appointment.moved_by_artist",
        purpose="booking_rescheduled",
        old_time=old_time,
        slot_time=new_time,
        address=turn.config.settings.studio_address,
    )
    turn.tell_artist(
        turn.config.artist_copy.render(
            "artist_alert.rescheduled", name=turn.client_name, old=old_time, new=new_time, city=moved.city
        ),
        purpose="artist_booking_rescheduled",
    )


async def on_booking_move_rejected(turn: LeadTurn, rejected: BookingMoveRejected) -> None:
    if turn.lead.booking_id != rejected.booking_id or _stage(turn) is not RescheduleStage.MOVING:
        return
    clear_change(turn)
    turn.say("appointment.reschedule_failed", purpose="reschedule", slot_time=booked_time(turn))


async def ask_artist(turn: LeadTurn) -> None:
    """Outside the policy the artist decides: they get the chat and a link that waives the fee."""
    slot_time = booked_time(turn)
    turn.say("appointment.asked_artist", purpose="reschedule", slot_time=slot_time)
    await tell_artist_with_waiver(
        turn,
        "artist_alert.reschedule_request",
        purpose="artist_reschedule_request",
        name=turn.client_name,
        when=slot_time,
    )
    await hand_over(turn, reason="reschedule_outside_policy")
