"""A booked client's appointment as reschedule and cancellation both see it: its time, the artist's
policy, and the change the client is in the middle of (typed, see domain/appointment_change.py)."""

from __future__ import annotations

from datetime import datetime

from inkline_conversation.domain.appointment_change import AppointmentChange
from inkline_conversation.domain.appointment_change_codec import change_from_dict, change_to_dict
from inkline_conversation.domain.appointment_policy import AppointmentPolicy, hours
from inkline_conversation.domain.copy import ParamValue, SlotTime
from inkline_conversation.domain.statuses import ActionKind
from inkline_conversation.journey.artist_buttons import send_decision, tap_hint
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import local_slot

KEEP_ID = "appt:keep"


def policy_of(turn: LeadTurn) -> AppointmentPolicy:
    return turn.config.policy


def booked(turn: LeadTurn) -> tuple[datetime, datetime]:
    booking = turn.lead.booking_range
    assert booking is not None, "only a booked lead changes its appointment"
    return datetime.fromisoformat(booking["start"]), datetime.fromisoformat(booking["end"])


def booked_time(turn: LeadTurn) -> SlotTime:
    return local_slot(*booked(turn), turn.booking_tz)


def current_change(turn: LeadTurn) -> AppointmentChange | None:
    return change_from_dict(turn.lead.appointment_change)


def set_change(turn: LeadTurn, change: AppointmentChange) -> None:
    turn.lead.appointment_change = change_to_dict(change)


def clear_change(turn: LeadTurn) -> None:
    turn.lead.appointment_change = None
    turn.lead.offered_slots = None
    turn.lead.slot_strikes = 0


def keep(turn: LeadTurn) -> None:
    """The client keeps their date after all."""
    clear_change(turn)
    turn.say("appointment.kept", purpose="appointment_kept", slot_time=booked_time(turn))


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


async def tell_artist_with_waiver(turn: LeadTurn, key: str, *, purpose: str, **params: ParamValue) -> None:
    """The artist's alert `key` with a "Waive the fee" button under it (`{waive}` says to tap it); its link
    written out in the text only when no button can go."""
    copy = turn.config.artist_copy
    await send_decision(
        turn,
        lambda actions_text: copy.render(
            key, waive=actions_text or tap_hint(ActionKind.WAIVE_FEE, copy), **params
        ),
        (ActionKind.WAIVE_FEE,),
        purpose=purpose,
    )
