"""The slots a lead was offered: remembered on the lead, shown as a WhatsApp list, picked, and held.

Shared by the first booking and a reschedule, which differ only in their wording and what they do once
the hold is placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.hold import PlaceHold
from inkline_contracts.events.notify import ListContent
from inkline_contracts.events.slots import SuggestedSlot
from inkline_conversation.domain.parsing.slot_pick import OfferedSlot, Picked, SlotChoice, parse_slot_pick
from inkline_conversation.journey import messages
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import format_slot, slot_title


def remember_offer(turn: LeadTurn, slots: Sequence[SuggestedSlot]) -> None:
    """Keep what is offered on the lead, so a pick by tap, number or day can be matched later."""
    turn.lead.offered_slots = [
        {
            "slot_id": slot.slot_id,
            "start": slot.range.start.isoformat(),
            "end": slot.range.end.isoformat(),
            "city": slot.city,
            "timezone": slot.timezone,
        }
        for slot in slots
    ]
    turn.lead.slot_strikes = 0


def numbered_list(turn: LeadTurn, slots: Sequence[SuggestedSlot]) -> str:
    """The offer as numbered text lines, for the body (a client may answer "2" or "Tuesday")."""
    tz, formats = turn.offer_tz, turn.formats
    return "\n".join(
        f"{number}. {format_slot(slot.range.start, slot.range.end, tz, formats=formats)} ({slot.city})"
        for number, slot in enumerate(slots, start=1)
    )


def slot_list(turn: LeadTurn, slots: Sequence[SuggestedSlot], *, body: str, section_key: str) -> ListContent:
    """The offer as a tappable list: one row a slot, its id the slot id."""
    tz, formats = turn.offer_tz, turn.formats
    return messages.list_message(
        body,
        button=turn.render("booking.times_button"),
        section_title=turn.render(section_key),
        rows=[
            messages.list_row(
                slot.slot_id,
                slot_title(slot.range.start, tz, formats=formats),
                f"{format_slot(slot.range.start, slot.range.end, tz, formats=formats)} · {slot.city}",
            )
            for slot in slots
        ],
    )


def pick(turn: LeadTurn, text: str) -> SlotChoice:
    """Which remembered slot the client's reply names, if any."""
    offered = [
        OfferedSlot(
            slot_id=slot["slot_id"],
            start=datetime.fromisoformat(slot["start"]),
            end=datetime.fromisoformat(slot["end"]),
        )
        for slot in turn.lead.offered_slots or []
    ]
    return parse_slot_pick(text, slots=offered, tz=turn.offer_tz)


def offered_slot(turn: LeadTurn, slot_id: str) -> dict[str, Any] | None:
    return next((slot for slot in turn.lead.offered_slots or [] if slot["slot_id"] == slot_id), None)


def request_hold(turn: LeadTurn, picked: Picked) -> dict[str, Any]:
    """Ask calendar to hold the picked slot for this lead; returns the remembered slot."""
    slot = offered_slot(turn, picked.slot_id)
    if slot is None:
        raise ValueError(f"slot {picked.slot_id!r} was not offered to lead {turn.lead.id}")
    turn.publish(
        subjects.HOLD_REQUESTED,
        PlaceHold(
            lead_id=turn.lead.id,
            slot_id=slot["slot_id"],
            range=TimeRange(start=slot["start"], end=slot["end"]),
            city=slot["city"],
            size_category=SizeCategory(turn.lead.size_category or "medium"),
            client_name=turn.client_name[:200],
        ),
    )
    return slot
