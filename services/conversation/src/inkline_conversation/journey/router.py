"""Start here: which step of the journey runs, for every client message and every event about a lead.

Two tables decide it, and nothing else does:

- CLIENT_STEPS: (lead status, kind of message) → step. Before the table, every message settles the
  lead's language (client_language: the reply goes out in it; "English please" is answered there), and
  every message but a silent one passes `admitted` (pictures stored for download, opt-out/opt-in settled).
- EVENT_STEPS and PURPOSE_STEPS: an event from another service → step; slots and holds also by the
  purpose the lead asked them for (qualify, offer or reschedule).

So "what happens when a client picks a slot" is CLIENT_STEPS[SLOTS_OFFERED, TEXT] (booking.on_slot_reply),
and "when Stripe says paid" is EVENT_STEPS[DepositPaid] (booking.on_deposit_paid).

A step built with `first(...)` tries its attempts in order; each returns True when it handled the
message, and the last step runs when none did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from inkline_contracts.base import Contract
from inkline_contracts.events.booking import (
    BookingCancelled,
    BookingConfirmed,
    BookingConflict,
    BookingMoved,
    BookingMoveRejected,
)
from inkline_contracts.events.deposit import DepositExpired, DepositLinkCreated, DepositPaid, DepositRefunded
from inkline_contracts.events.hold import HoldExpired, HoldPlaced, HoldRejected
from inkline_contracts.events.slots import SlotsSuggested
from inkline_conversation.domain.statuses import LeadStatus, Purpose
from inkline_conversation.journey import (
    appointment_changes,
    appointments,
    booking,
    cancellation,
    client_language,
    client_messages,
    qualification,
    reschedule,
)
from inkline_conversation.journey.handover import asked_for_artist
from inkline_conversation.journey.inbound_messages import ClientMessage, InboundKind
from inkline_conversation.journey.turn import LeadTurn

log = structlog.get_logger(__name__)

ClientStep = Callable[[LeadTurn, ClientMessage], Awaitable[None]]
Attempt = Callable[[LeadTurn, ClientMessage], Awaitable[bool]]
EventStep = Callable[[LeadTurn, Any], Awaitable[None]]


@dataclass(frozen=True)
class First:
    """A step that tries `attempts` in order and runs `then` when none of them handled the message."""

    attempts: tuple[Attempt, ...]
    then: ClientStep

    async def __call__(self, turn: LeadTurn, message: ClientMessage) -> None:
        for attempt in self.attempts:
            if await attempt(turn, message):
                return
        await self.then(turn, message)


def first(*attempts: Attempt, then: ClientStep) -> First:
    return First(attempts=attempts, then=then)


# Waiting on someone else (the artist, the calendar, the payment): the artist if asked, else one holding answer.
_WAIT = first(asked_for_artist, then=client_messages.holding_reply)
_BOOKED = first(
    appointment_changes.on_booked_change_message,  # reschedule or cancel, started or under way
    asked_for_artist,
    then=appointments.on_booked_message,
)

# A cancelled or missed booking: its old buttons are answered as such (db/inbound.py keeps those taps here).
_APPOINTMENT_ENDED = first(
    appointments.on_ended_appointment_tap, asked_for_artist, then=client_messages.holding_reply
)

_BY_STATUS: dict[LeadStatus, ClientStep] = {
    LeadStatus.NEW: client_messages.consult_message,
    LeadStatus.ABANDONED: client_messages.consult_message,
    LeadStatus.CONSULTING: first(
        client_messages.consulting, asked_for_artist, then=client_messages.holding_reply
    ),
    LeadStatus.NEEDS_ARTIST: client_messages.forward,
    LeadStatus.WAITLISTED: first(
        qualification.on_last_minute_tap, asked_for_artist, then=client_messages.holding_reply
    ),
    LeadStatus.BOOKED: _BOOKED,
    LeadStatus.CANCELLED: _APPOINTMENT_ENDED,
    LeadStatus.NO_SHOW: _APPOINTMENT_ENDED,
}
_BY_STATUS_AND_KIND: dict[tuple[LeadStatus, InboundKind], ClientStep] = {
    (LeadStatus.SLOTS_OFFERED, InboundKind.TEXT): first(asked_for_artist, then=booking.on_slot_reply),
    (LeadStatus.TOUR_OFFERED, InboundKind.TEXT): first(asked_for_artist, then=client_messages.tour_answer),
    (LeadStatus.BOOKED, InboundKind.MEDIA): appointments.on_booked_media,
}

CLIENT_STEPS: dict[tuple[LeadStatus, InboundKind], ClientStep] = {
    (status, kind): (
        client_messages.read_silently
        if kind is InboundKind.SILENT
        else _BY_STATUS_AND_KIND.get((status, kind), _BY_STATUS.get(status, _WAIT))
    )
    for status in LeadStatus
    for kind in InboundKind
}


async def on_client_message(turn: LeadTurn, message: ClientMessage) -> None:
    """One client message, in the order sent (journey/inbox.py calls this under the lead's lock)."""
    language = client_language.settle_language(turn, message)
    if message.kind is not InboundKind.SILENT and not await client_messages.admitted(turn, message):
        return
    if language is not None and language.asked:  # "English please": a request, not an answer
        await client_language.confirm_switch(turn)
        return
    await CLIENT_STEPS[(turn.status, message.kind)](turn, message)


async def _qualifying_slots(turn: LeadTurn, suggestion: SlotsSuggested) -> None:
    if turn.status is LeadStatus.CONSULTING:
        await qualification.on_qualifying_slots(turn, suggestion)


PURPOSE_STEPS: dict[tuple[type[Contract], Purpose], EventStep] = {
    (SlotsSuggested, Purpose.QUALIFY): _qualifying_slots,
    (SlotsSuggested, Purpose.OFFER): booking.offer_slots,
    (SlotsSuggested, Purpose.RESCHEDULE): reschedule.offer_new_times,
    (HoldPlaced, Purpose.OFFER): booking.on_hold_placed,
    (HoldPlaced, Purpose.RESCHEDULE): reschedule.on_reschedule_hold_placed,
    (HoldRejected, Purpose.OFFER): booking.on_hold_rejected,
    (HoldRejected, Purpose.RESCHEDULE): reschedule.on_reschedule_hold_rejected,
}
EVENT_STEPS: dict[type[Contract], EventStep] = {
    HoldExpired: booking.on_hold_expired,
    DepositLinkCreated: booking.on_deposit_link,
    DepositPaid: booking.on_deposit_paid,
    DepositExpired: booking.on_deposit_expired,
    BookingConfirmed: booking.on_booking_confirmed,
    BookingConflict: booking.on_booking_conflict,
    BookingCancelled: appointments.on_booking_cancelled,
    BookingMoved: reschedule.on_booking_moved,
    BookingMoveRejected: reschedule.on_booking_move_rejected,
    DepositRefunded: cancellation.on_deposit_refunded,
}


def _slots_purpose(turn: LeadTurn, suggestion: SlotsSuggested) -> Purpose | None:
    """Only the answer to the lead's current question counts (None: a stale answer, ignored)."""
    if turn.lead.slots_request_id != suggestion.request_id:
        log.info("stale_slots_ignored", lead_id=str(turn.lead.id))
        return None
    stored = turn.lead.slots_request_purpose
    turn.lead.slots_request_id = None
    turn.lead.slots_request_purpose = None
    return Purpose(stored) if stored in (Purpose.QUALIFY, Purpose.RESCHEDULE) else Purpose.OFFER


def _hold_purpose(turn: LeadTurn) -> Purpose:
    return Purpose.RESCHEDULE if reschedule.is_reschedule_hold(turn) else Purpose.OFFER


async def on_lead_event(turn: LeadTurn, event: Contract) -> None:
    """An event about one lead, under its row lock (handlers/lead_events.py calls this)."""
    step = EVENT_STEPS.get(type(event))
    if step is None:
        if isinstance(event, SlotsSuggested):
            purpose = _slots_purpose(turn, event)
        elif isinstance(event, HoldPlaced | HoldRejected):
            purpose = _hold_purpose(turn)
        else:
            raise TypeError(f"no journey step for {type(event).__name__}")
        if purpose is None:
            return
        step = PURPOSE_STEPS[(type(event), purpose)]
    await step(turn, event)
