"""Changing a booking in chat: reschedule and cancel within the artist's policy, and the artist's waiver.

The lead stays BOOKED while a reschedule is under way: the old time is the client's until calendar moves
the booking onto the new hold in one step (booking.moved). What the client is in the middle of lives in
`lead.appointment_change`:

- reschedule: finding (slots asked) → choosing (list shown) → holding (hold asked) → moving (move asked);
  or cost_offered when the policy says it is not free (keep the date, or ask the artist);
- cancel: confirming (buttons shown).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import structlog

from inkline_contracts import subjects
from inkline_contracts.events.booking import BookingMoved, BookingMoveRejected, MoveBooking
from inkline_contracts.events.deposit import DepositRefunded, RequestRefund
from inkline_contracts.events.hold import HoldPlaced, HoldRejected
from inkline_contracts.events.lead import LeadCancelled
from inkline_contracts.events.notify import ButtonsContent, ReplyButton
from inkline_contracts.events.slots import SlotsSuggested
from inkline_conversation.db.action_tokens import issue_action_links
from inkline_conversation.domain.appointment_policy import AppointmentPolicy, ChangeCost, hours
from inkline_conversation.domain.parsing.slot_pick import Picked
from inkline_conversation.domain.parsing.text import has_phrase, normalise
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey import slot_offers
from inkline_conversation.journey.appointments import (
    CANCEL_BUTTON_ID,
    RESCHEDULE_BUTTON_ID,
    cancel_pending,
    replan_messages,
)
from inkline_conversation.journey.artist_messages import ACTION_LABELS
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.qualification import qualified_of, request_slots
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import format_money_contract, format_slot

log = structlog.get_logger(__name__)

RESCHEDULE = "reschedule"
CANCEL = "cancel"
CANCEL_YES_ID = "appt:cancel_yes"
KEEP_ID = "appt:keep"
ASK_ARTIST_ID = "appt:ask_artist"
LAST_MINUTE_PREFIX = "last_minute:"
PICK_STRIKES_BEFORE_HANDOVER = 2

_RESCHEDULE_PHRASES = (
    "reschedule",
    "re schedule",
    "rebook",
    "re book",
    "postpone",
    "move my appointment",
    "move my booking",
    "move my session",
    "move the appointment",
    "move the booking",
    "move the session",
    "move it",
    "change the date",
    "change my date",
    "change the time",
    "change my time",
    "change my appointment",
    "change my booking",
    "different day",
    "different date",
    "different time",
    "another day",
    "another date",
    "another time",
    "push it back",
)
_CANCEL_PHRASES = (
    "cancel",
    "cancel my appointment",
    "cancel my booking",
    "can't make it",
    "cant make it",
    "cannot make it",
    "won't make it",
    "wont make it",
    "not coming",
    "call it off",
)
_YES = frozenset({"yes", "yeah", "yep", "y", "ok", "okay", "sure", "please", "confirm", "cancel"})
_NO = frozenset({"no", "nope", "nah", "n", "keep", "dont", "don't"})


def policy_of(turn: LeadTurn) -> AppointmentPolicy:
    return turn.config.policy


def change_requested(text: str) -> str | None:
    """Whether a booked client asks to move or cancel; moving wins when both appear ("cancel and rebook")."""
    stripped = text.strip()
    if stripped == RESCHEDULE_BUTTON_ID:
        return RESCHEDULE
    if stripped == CANCEL_BUTTON_ID:
        return CANCEL
    cleaned = normalise(text)
    if any(has_phrase(cleaned, phrase) for phrase in _RESCHEDULE_PHRASES):
        return RESCHEDULE
    if any(has_phrase(cleaned, phrase) for phrase in _CANCEL_PHRASES):
        return CANCEL
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", normalise(text)))


def _booked(turn: LeadTurn) -> tuple[datetime, datetime]:
    booked = turn.lead.booking_range
    assert booked is not None, "only a booked lead changes its appointment"
    return datetime.fromisoformat(booked["start"]), datetime.fromisoformat(booked["end"])


def _booked_time(turn: LeadTurn) -> str:
    return format_slot(*_booked(turn), turn.booking_tz)


def _change(turn: LeadTurn) -> dict[str, Any]:
    return dict(turn.lead.appointment_change or {})


def _set_change(turn: LeadTurn, **values: Any) -> None:
    turn.lead.appointment_change = {**_change(turn), **values}


def _clear_change(turn: LeadTurn) -> None:
    turn.lead.appointment_change = None
    turn.lead.offered_slots = None
    turn.lead.slot_strikes = 0


def policy_sentence(turn: LeadTurn) -> str:
    """The policy as the booking confirmation states it."""
    policy = policy_of(turn)
    refund_hours = hours(policy.refund_notice)
    if policy.free_reschedules <= 0:
        return turn.render("appointment.policy_no_free", refund_hours=refund_hours)
    times = {1: "once", 2: "twice"}.get(policy.free_reschedules, f"{policy.free_reschedules} times")
    return turn.render(
        "appointment.policy",
        free_reschedules=times,
        reschedule_hours=hours(policy.free_reschedule_notice),
        refund_hours=refund_hours,
    )


async def on_booked_change_message(turn: LeadTurn, text: str | None) -> bool:
    """Handle a booked client's message if it belongs to a change (or starts one); False leaves it to others."""
    if text is None:
        return False
    change = _change(turn)
    stripped = text.strip()
    if change.get("kind") == CANCEL:
        words = _words(text)
        if stripped == CANCEL_YES_ID or (words & _YES and not words & _NO):
            await confirm_cancellation(turn)
            return True
        if stripped == KEEP_ID or (words & _NO and not words & _YES):
            _keep(turn)
            return True
        _clear_change(turn)
    elif change.get("kind") == RESCHEDULE:
        stage = change.get("stage")
        if stripped == KEEP_ID:
            _keep(turn)
            return True
        if stage == "cost_offered" and stripped == ASK_ARTIST_ID:
            await _ask_artist(turn)
            return True
        if stage == "choosing" and change_requested(text) is None:
            await _on_pick(turn, text)
            return True
        if stage in ("finding", "holding", "moving"):
            turn.say("appointment.change_in_progress", purpose="holding_reply")
            return True
    requested = change_requested(text)
    if requested == RESCHEDULE:
        await start_reschedule(turn)
        return True
    if requested == CANCEL:
        start_cancellation(turn)
        return True
    return False


def _keep(turn: LeadTurn) -> None:
    _clear_change(turn)
    turn.say("appointment.kept", purpose="appointment_kept", slot_time=_booked_time(turn))


async def start_reschedule(turn: LeadTurn) -> None:
    """Free under the policy: fetch new times. Otherwise say what it costs and let the client choose."""
    start, _ = _booked(turn)
    policy = policy_of(turn)
    cost = policy.reschedule_cost(
        now=turn.now,
        start=start,
        reschedules_used=turn.lead.reschedules_used,
        waived=turn.lead.fee_waived_at is not None,
    )
    if cost is ChangeCost.FREE:
        turn.lead.appointment_change = {"kind": RESCHEDULE, "stage": "finding"}
        turn.say("appointment.reschedule_finding", purpose="reschedule")
        _request_new_times(turn)
        return
    turn.lead.appointment_change = {"kind": RESCHEDULE, "stage": "cost_offered", "cost": cost.value}
    key = "appointment.reschedule_late" if cost is ChangeCost.LATE else "appointment.reschedule_used_up"
    body = turn.render(key, hours=hours(policy.free_reschedule_notice), slot_time=_booked_time(turn))
    turn.send(
        ButtonsContent(
            body=body[:1024],
            buttons=[
                ReplyButton(id=KEEP_ID, title=turn.render("appointment.keep_button")[:20]),
                ReplyButton(id=ASK_ARTIST_ID, title=turn.render("appointment.ask_artist_button")[:20]),
            ],
        ),
        purpose="reschedule_terms",
    )


def _booking_city(turn: LeadTurn) -> str:
    booked = turn.lead.booking_range or {}
    return str(booked.get("city") or qualified_of(turn).city)


def _request_new_times(turn: LeadTurn) -> None:
    """Slots of the same size (so the same length) where the booking is, asked for exactly as the first
    offer was, so the client's days and times are honoured the same way (weekdays stay weekdays)."""
    request_slots(turn, purpose=RESCHEDULE, city=_booking_city(turn))


async def offer_new_times(turn: LeadTurn, suggestion: SlotsSuggested) -> None:
    """The calendar's answer to a reschedule: a tappable list, without the time the client already has."""
    if turn.status is not LeadStatus.BOOKED or _change(turn).get("stage") != "finding":
        log.info("reschedule_slots_ignored", lead_id=str(turn.lead.id), status=turn.status.value)
        return
    start, _ = _booked(turn)
    slots = [slot for slot in suggestion.slots if slot.range.start != start]
    if not slots:
        turn.say("appointment.reschedule_none", purpose="reschedule", slot_time=_booked_time(turn))
        turn.tell_artist(
            f"{turn.client_name} asked to move their appointment ({_booked_time(turn)}) but I found no "
            f"free time to offer. Chat: https://wa.me/{turn.lead.wa_id}",
            purpose="artist_reschedule_no_slots",
        )
        _clear_change(turn)
        return
    slot_offers.remember_offer(turn, slots)
    _set_change(turn, stage="choosing")
    body = turn.render(
        "appointment.reschedule_choose",
        slot_list=slot_offers.numbered_list(turn, slots),
        slot_time=_booked_time(turn),
    )
    if not suggestion.preference_met:
        # As with the first offer: the client hears when none of their dates had room.
        body = turn.render("booking.slots_outside_preference") + "\n" + body
    turn.send(
        slot_offers.slot_list(turn, slots, body=body, section_title="New times"),
        purpose="reschedule_choice",
    )


async def _on_pick(turn: LeadTurn, text: str) -> None:
    choice = slot_offers.pick(turn, text)
    if isinstance(choice, Picked):
        slot = slot_offers.request_hold(turn, choice)
        _set_change(turn, stage="holding", slot_id=slot["slot_id"])
        return
    turn.lead.slot_strikes += 1
    if turn.lead.slot_strikes >= PICK_STRIKES_BEFORE_HANDOVER:
        _clear_change(turn)
        await hand_over(turn, reason="reschedule_pick_unclear", field="slot")
        return
    turn.say("booking.slot_no_match", purpose="slot_choice_repair")


def is_reschedule_hold(turn: LeadTurn) -> bool:
    return turn.status is LeadStatus.BOOKED and _change(turn).get("stage") == "holding"


async def on_reschedule_hold_placed(turn: LeadTurn, placed: HoldPlaced) -> None:
    """The new time is held: ask calendar to move the booking onto it, in one step."""
    assert turn.lead.booking_id is not None
    _set_change(turn, stage="moving", hold_id=str(placed.hold_id))
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
    turn.say("appointment.reschedule_taken", purpose="reschedule", slot_time=_booked_time(turn))
    _set_change(turn, stage="finding")
    _request_new_times(turn)


async def on_booking_moved(turn: LeadTurn, moved: BookingMoved) -> None:
    """The booking is on its new time: reminders are planned again and both phones hear about it."""
    if turn.lead.booking_id != moved.booking_id:
        return
    booked = turn.lead.booking_range or {}
    if booked.get("start") and datetime.fromisoformat(booked["start"]) == moved.range.start:
        return  # the same move announced again
    old_time = format_slot(moved.previous_range.start, moved.previous_range.end, turn.booking_tz)
    turn.lead.booking_range = {
        **moved.range.model_dump(mode="json"),
        "city": moved.city,
        "timezone": moved.timezone or booked.get("timezone"),
    }
    tz = turn.booking_tz
    turn.lead.hold_id = moved.hold_id
    turn.lead.reschedules_used += 1
    # A waiver covers one change.
    turn.lead.fee_waived_at = None
    _clear_change(turn)
    await replan_messages(turn, booking_id=moved.booking_id, booked=moved.range)
    new_time = format_slot(moved.range.start, moved.range.end, tz)
    turn.say(
        "appointment.rescheduled",
        purpose="booking_rescheduled",
        old_time=old_time,
        slot_time=new_time,
        address=turn.config.settings.studio_address,
    )
    turn.tell_artist(
        f"Rescheduled: {turn.client_name} moved from {old_time} to {new_time} in {moved.city}. "
        f"Your calendar event is updated. Chat: https://wa.me/{turn.lead.wa_id}",
        purpose="artist_booking_rescheduled",
    )


async def on_booking_move_rejected(turn: LeadTurn, rejected: BookingMoveRejected) -> None:
    if turn.lead.booking_id != rejected.booking_id or _change(turn).get("stage") != "moving":
        return
    _clear_change(turn)
    turn.say("appointment.reschedule_failed", purpose="reschedule", slot_time=_booked_time(turn))


async def _ask_artist(turn: LeadTurn) -> None:
    """Outside the policy the artist decides: they get the chat and a link that waives the fee."""
    slot_time = _booked_time(turn)
    turn.say("appointment.asked_artist", purpose="reschedule", slot_time=slot_time)
    waive = await waiver_line(turn)
    turn.tell_artist(
        f"{turn.client_name} would like to move their appointment ({slot_time}), which your policy does "
        f"not allow for free. To let them move it at no cost: {waive}",
        purpose="artist_reschedule_request",
    )
    await hand_over(turn, reason="reschedule_outside_policy")


async def waiver_line(turn: LeadTurn) -> str:
    links = await issue_action_links(
        turn.work.session,
        lead_id=turn.lead.id,
        actions=(ActionKind.WAIVE_FEE,),
        now=turn.now,
        ttl=turn.config.link_ttl,
        base_url=turn.config.settings.public_base_url,
    )
    return f"{ACTION_LABELS[ActionKind.WAIVE_FEE]}: {links[ActionKind.WAIVE_FEE]}"


def start_cancellation(turn: LeadTurn) -> None:
    start, _ = _booked(turn)
    policy = policy_of(turn)
    refund = policy.cancellation_refunds(
        now=turn.now, start=start, waived=turn.lead.fee_waived_at is not None
    )
    turn.lead.appointment_change = {"kind": CANCEL, "stage": "confirming"}
    key = "appointment.cancel_confirm_refund" if refund else "appointment.cancel_confirm_forfeit"
    body = turn.render(key, slot_time=_booked_time(turn), hours=hours(policy.refund_notice))
    turn.send(
        ButtonsContent(
            body=body[:1024],
            buttons=[
                ReplyButton(id=CANCEL_YES_ID, title=turn.render("appointment.cancel_yes_button")[:20]),
                ReplyButton(id=KEEP_ID, title=turn.render("appointment.cancel_no_button")[:20]),
            ],
        ),
        purpose="cancel_confirmation",
    )


async def confirm_cancellation(turn: LeadTurn) -> None:
    """Cancelled: calendar frees the slot and deletes the event; the deposit is refunded or kept by policy.

    The policy is applied at the moment of the "yes", not when the question was asked.
    """
    start, _ = _booked(turn)
    policy = policy_of(turn)
    refund = policy.cancellation_refunds(
        now=turn.now, start=start, waived=turn.lead.fee_waived_at is not None
    )
    slot_time = _booked_time(turn)
    _clear_change(turn)
    turn.change_status(LeadStatus.CANCELLED, reason="client cancelled in chat")
    turn.publish(
        subjects.LEAD_CANCELLED, LeadCancelled(lead_id=turn.lead.id, reason="client cancelled in chat")
    )
    if turn.lead.booking_id is not None:
        await cancel_pending(turn, booking_id=turn.lead.booking_id, reason="client cancelled")
    refund_hours = hours(policy.refund_notice)
    if refund:
        _request_refund(turn, reason="cancelled within the policy's notice")
        turn.say("appointment.cancelled_refund", purpose="booking_cancelled", slot_time=slot_time)
        turn.tell_artist(
            f"Cancelled: {turn.client_name} cancelled {slot_time} with enough notice; the deposit is being "
            f"refunded and the slot is free again. Chat: https://wa.me/{turn.lead.wa_id}",
            purpose="artist_booking_cancelled",
        )
        return
    turn.lead.deposit_outcome = "forfeited"
    turn.say(
        "appointment.cancelled_forfeit", purpose="booking_cancelled", slot_time=slot_time, hours=refund_hours
    )
    waive = await waiver_line(turn)
    turn.tell_artist(
        f"Cancelled: {turn.client_name} cancelled {slot_time}, less than {refund_hours} hours ahead, so the "
        f"deposit is kept and the slot is free again. To refund them anyway: {waive}\n"
        f"Chat: https://wa.me/{turn.lead.wa_id}",
        purpose="artist_booking_cancelled",
    )


def _request_refund(turn: LeadTurn, *, reason: str) -> None:
    turn.lead.deposit_outcome = "refund_requested"
    turn.publish(
        subjects.DEPOSIT_REFUND_REQUESTED,
        RequestRefund(deposit_id=turn.lead.deposit_id, lead_id=turn.lead.id, reason=reason),
    )


async def waive_fee(turn: LeadTurn) -> str:
    """The artist's waiver: a kept deposit is refunded, or the client may move their booking for free."""
    name = turn.client_name
    turn.lead.fee_waived_at = turn.now
    if turn.status is LeadStatus.CANCELLED:
        if turn.lead.deposit_outcome != "forfeited":
            return f"{name}'s deposit is not being kept, so there is nothing to waive."
        _request_refund(turn, reason="artist waived the cancellation fee")
        turn.say("appointment.fee_waived_refund", purpose="fee_waived")
        return f"Waived. {name}'s deposit is being refunded."
    if turn.status is LeadStatus.NEEDS_ARTIST:
        turn.change_status(LeadStatus.BOOKED, reason="artist waived the fee and handed the chat back")
    if _change(turn).get("kind") == RESCHEDULE:
        turn.say("appointment.fee_waived_reschedule", purpose="fee_waived")
        turn.lead.appointment_change = {"kind": RESCHEDULE, "stage": "finding"}
        _request_new_times(turn)
        return f"Waived. {name} is getting new times to pick from; the move is free and the deposit carries over."
    turn.say("appointment.fee_waived", purpose="fee_waived")
    return f"Waived. {name}'s next change of date is free."


async def on_deposit_refunded(turn: LeadTurn, refunded: DepositRefunded) -> None:
    if turn.lead.deposit_outcome == "refunded":
        return
    turn.lead.deposit_outcome = "refunded"
    turn.say(
        "appointment.refunded", purpose="deposit_refunded", amount=format_money_contract(refunded.amount)
    )


async def on_last_minute_tap(turn: LeadTurn) -> None:
    """A waitlisted client wants a freed slot: the artist approves them, then the normal slot offer follows."""
    links = await issue_action_links(
        turn.work.session,
        lead_id=turn.lead.id,
        actions=(ActionKind.APPROVE,),
        now=turn.now,
        ttl=turn.config.link_ttl,
        base_url=turn.config.settings.public_base_url,
    )
    turn.say("appointment.last_minute_asked", purpose="last_minute_reply")
    turn.tell_artist(
        f"{turn.client_name} (waitlisted) wants the slot that just came free. "
        f"{ACTION_LABELS[ActionKind.APPROVE]} to send them your free times: {links[ActionKind.APPROVE]}\n"
        f"Chat: https://wa.me/{turn.lead.wa_id}",
        purpose="artist_last_minute_interest",
    )
