"""Cancelling a booking in chat: the client confirms, then the deposit is refunded or kept by the policy."""

from __future__ import annotations

from inkline_contracts import subjects
from inkline_contracts.events.deposit import DepositRefunded, RequestRefund
from inkline_contracts.events.lead import LeadCancelled
from inkline_conversation.domain.appointment_change import Cancellation
from inkline_conversation.domain.appointment_policy import hours
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import messages
from inkline_conversation.journey.appointments import cancel_pending
from inkline_conversation.journey.booked_appointment import (
    KEEP_ID,
    booked,
    booked_time,
    clear_change,
    policy_of,
    set_change,
    tell_artist_with_waiver,
)
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import money

CANCEL_YES_ID = "appt:cancel_yes"


def start_cancellation(turn: LeadTurn) -> None:
    """Ask first, with buttons: whether the deposit comes back depends on the notice given."""
    start, _ = booked(turn)
    policy = policy_of(turn)
    refund = policy.cancellation_refunds(
        now=turn.now, start=start, waived=turn.lead.fee_waived_at is not None
    )
    set_change(turn, Cancellation())
    key = "appointment.cancel_confirm_refund" if refund else "appointment.cancel_confirm_forfeit"
    body = turn.render(key, slot_time=booked_time(turn), hours=hours(policy.refund_notice))
    turn.send(
        messages.buttons(
            body,
            [
                (CANCEL_YES_ID, turn.render("appointment.cancel_yes_button")),
                (KEEP_ID, turn.render("appointment.cancel_no_button")),
            ],
        ),
        purpose="cancel_confirmation",
    )


async def confirm_cancellation(turn: LeadTurn) -> None:
    """Cancelled: calendar frees the slot and deletes the event; the deposit is refunded or kept by policy.

    The policy is applied at the moment of the "yes", not when the question was asked.
    """
    start, _ = booked(turn)
    policy = policy_of(turn)
    refund = policy.cancellation_refunds(
        now=turn.now, start=start, waived=turn.lead.fee_waived_at is not None
    )
    slot_time = booked_time(turn)
    clear_change(turn)
    turn.change_status(LeadStatus.CANCELLED, reason="client cancelled in chat")
    turn.publish(
        subjects.LEAD_CANCELLED, LeadCancelled(lead_id=turn.lead.id, reason="client cancelled in chat")
    )
    if turn.lead.booking_id is not None:
        await cancel_pending(turn, booking_id=turn.lead.booking_id, reason="client cancelled")
    refund_hours = hours(policy.refund_notice)
    if refund:
        request_refund(turn, reason="cancelled within the policy's notice")
        turn.say("appointment.cancelled_refund", purpose="booking_cancelled", slot_time=slot_time)
        turn.tell_artist(
            turn.config.artist_copy.render(
                "artist_alert.cancelled_refund", name=turn.client_name, when=slot_time
            ),
            purpose="artist_booking_cancelled",
        )
        return
    turn.lead.deposit_outcome = "forfeited"
    turn.say(
        "appointment.cancelled_forfeit", purpose="booking_cancelled", slot_time=slot_time, hours=refund_hours
    )
    await tell_artist_with_waiver(
        turn,
        "artist_alert.cancelled_forfeit",
        purpose="artist_booking_cancelled",
        name=turn.client_name,
        when=slot_time,
        hours=refund_hours,
    )


def request_refund(turn: LeadTurn, *, reason: str) -> None:
    turn.lead.deposit_outcome = "refund_requested"
    turn.publish(
        subjects.DEPOSIT_REFUND_REQUESTED,
        RequestRefund(deposit_id=turn.lead.deposit_id, lead_id=turn.lead.id, reason=reason),
    )


async def on_deposit_refunded(turn: LeadTurn, refunded: DepositRefunded) -> None:
    if turn.lead.deposit_outcome == "refunded":
        return
    turn.lead.deposit_outcome = "refunded"
    turn.say("appointment.refunded", purpose="deposit_refunded", amount=money(refunded.amount))
