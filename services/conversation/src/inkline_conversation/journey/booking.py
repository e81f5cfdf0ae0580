"""From approval to booked: slot offers, the client's pick, hold, deposit link, payment and confirmation.

Every event is checked against what the lead is waiting for (request id, hold id, deposit id), so a late
or repeated event from another service cannot move a lead that has moved on.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import structlog

from inkline_contracts import subjects
from inkline_contracts.base import TimeRange
from inkline_contracts.events.booking import BookingConfirmed, BookingConflict
from inkline_contracts.events.deposit import DepositExpired, DepositLinkCreated, DepositPaid, RequestDeposit
from inkline_contracts.events.hold import HoldExpired, HoldPlaced, HoldRejected
from inkline_contracts.events.slots import SlotsSuggested
from inkline_conversation.domain.artist_text import fit
from inkline_conversation.domain.parsing.slot_pick import Ambiguous, Picked
from inkline_conversation.domain.status_words import status_words
from inkline_conversation.domain.statuses import ActionKind, LeadStatus, can_transition
from inkline_conversation.journey import slot_offers
from inkline_conversation.journey.appointments import no_show_ttl, plan_messages
from inkline_conversation.journey.artist_buttons import send_decision, tap_hint
from inkline_conversation.journey.booked_appointment import policy_sentence
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.qualification import OFFER, qualified_of, request_slots
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import local_slot, money

log = structlog.get_logger(__name__)

SLOT_STRIKES_BEFORE_HANDOVER = 2
# Statuses in which the lead is waiting for fresh slots, so a slots.suggested answer may be shown.
_OFFERABLE = frozenset(
    {
        LeadStatus.APPROVED,
        LeadStatus.SLOTS_OFFERED,
        LeadStatus.SLOT_HELD,
        LeadStatus.DEPOSIT_REQUESTED,
        LeadStatus.DEPOSIT_PAID,
    }
)


async def offer_slots(turn: LeadTurn, suggestion: SlotsSuggested) -> None:
    """Show the calendar's slots as a WhatsApp list the client can tap, or by number/day in text."""
    if turn.status not in _OFFERABLE:
        log.info("slots_ignored", lead_id=str(turn.lead.id), status=turn.status.value)
        return
    if not suggestion.slots:
        await hand_over(turn, reason="no_free_slots")
        return
    slot_offers.remember_offer(turn, suggestion.slots)
    turn.change_status(LeadStatus.SLOTS_OFFERED, reason="slots offered")
    category = qualified_of(turn).size_category.value.replace("_", " ")
    body = turn.render(
        "booking.slots_offered",
        size_category=category,
        slot_list=slot_offers.numbered_list(turn, suggestion.slots),
    )
    if not suggestion.preference_met:
        body = turn.render("booking.slots_outside_preference") + "\n" + body
    turn.send(
        slot_offers.slot_list(turn, suggestion.slots, body=body, section_key="booking.times_section"),
        purpose="slot_choice",
    )


async def on_slot_reply(turn: LeadTurn, message: ClientMessage) -> None:
    """The client answered the slot list: hold the pick, or ask again (two misses hand over)."""
    choice = slot_offers.pick(turn, message.typed_text)
    if isinstance(choice, Picked):
        slot_offers.request_hold(turn, choice)
        return
    turn.lead.slot_strikes += 1
    if turn.lead.slot_strikes >= SLOT_STRIKES_BEFORE_HANDOVER:
        await hand_over(turn, reason="slot_pick_unclear", field="slot")
        return
    key = "booking.slot_ambiguous" if isinstance(choice, Ambiguous) else "booking.slot_no_match"
    turn.say(key, purpose="slot_choice_repair")


def _hold_matches(turn: LeadTurn, hold_id: uuid.UUID) -> bool:
    return turn.lead.hold_id == hold_id


async def on_hold_placed(turn: LeadTurn, placed: HoldPlaced) -> None:
    """The slot is ours for a while: ask payments for a deposit link that expires with the hold."""
    if turn.status is not LeadStatus.SLOTS_OFFERED:
        log.warning("hold_placed_ignored", lead_id=str(turn.lead.id), status=turn.status.value)
        return
    tz = turn.zone(placed.timezone) if placed.timezone else turn.offer_tz
    turn.lead.hold_id = placed.hold_id
    turn.lead.hold_range = {**placed.range.model_dump(mode="json"), "timezone": tz.key}
    turn.lead.hold_expires_at = placed.expires_at
    turn.change_status(LeadStatus.SLOT_HELD, reason="client picked a slot")
    turn.say(
        "booking.slot_held",
        purpose="slot_held",
        slot_time=local_slot(placed.range.start, placed.range.end, tz),
        hold_expires=f"{placed.expires_at.astimezone(tz):%H:%M}",
    )
    request_deposit(turn)


def _deposit_line(turn: LeadTurn, held: TimeRange, tz: ZoneInfo) -> str:
    """What the client pays for, as the checkout page shows it: the session, not their first message."""
    return turn.render("booking.deposit_line", slot_time=local_slot(held.start, held.end, tz))[:200]


def request_deposit(turn: LeadTurn) -> None:
    assert turn.lead.hold_id is not None
    assert turn.lead.hold_expires_at is not None
    assert turn.lead.hold_range is not None
    qualified = qualified_of(turn)
    held = TimeRange.model_validate(turn.lead.hold_range)
    tz = turn.zone(turn.lead.hold_range.get("timezone"))
    deposit_id = uuid.uuid4()
    turn.lead.deposit_id = deposit_id
    turn.lead.deposit_url = None
    turn.publish(
        subjects.DEPOSIT_REQUESTED,
        RequestDeposit(
            deposit_id=deposit_id,
            lead_id=turn.lead.id,
            hold_id=turn.lead.hold_id,
            size_category=qualified.size_category,
            description=_deposit_line(turn, held, tz),
            expires_at=turn.lead.hold_expires_at,
            slot=held,
            timezone=tz.key,
            language=turn.lead.language,
        ),
    )
    turn.change_status(LeadStatus.DEPOSIT_REQUESTED, reason="deposit requested")


async def on_hold_rejected(turn: LeadTurn, rejected: HoldRejected) -> None:
    """Someone else got there first: say so and fetch fresh times."""
    if turn.status is not LeadStatus.SLOTS_OFFERED:
        return
    turn.say("booking.slot_taken", purpose="slot_taken")
    request_slots(turn, purpose=OFFER)


async def on_hold_lapsed(turn: LeadTurn, hold_id: uuid.UUID) -> None:
    """The hold (or its deposit link) expired unpaid: free the lead and offer fresh times."""
    if not _hold_matches(turn, hold_id) or turn.status not in (
        LeadStatus.SLOT_HELD,
        LeadStatus.DEPOSIT_REQUESTED,
    ):
        return
    turn.lead.hold_id = None
    turn.lead.hold_expires_at = None
    turn.lead.deposit_url = None
    turn.say("booking.hold_expired", purpose="hold_expired")
    request_slots(turn, purpose=OFFER)


async def on_hold_expired(turn: LeadTurn, expired: HoldExpired) -> None:
    await on_hold_lapsed(turn, expired.hold_id)


async def on_deposit_expired(turn: LeadTurn, expired: DepositExpired) -> None:
    await on_hold_lapsed(turn, expired.hold_id)


async def on_deposit_link(turn: LeadTurn, created: DepositLinkCreated) -> None:
    if turn.lead.deposit_id != created.deposit_id or turn.status is not LeadStatus.DEPOSIT_REQUESTED:
        return
    turn.lead.deposit_url = created.url
    turn.say(
        "booking.deposit_requested",
        purpose="deposit_link",
        deposit=money(created.amount),
        payment_link=created.url,
        hold_expires=f"{created.expires_at.astimezone(turn.offer_tz):%H:%M}",
    )


async def on_deposit_paid(turn: LeadTurn, paid: DepositPaid) -> None:
    """Money arrived. Booking waits for the calendar, which alone decides whether the slot is still ours."""
    if turn.lead.deposit_paid_at is not None:
        return
    turn.lead.deposit_paid_at = paid.paid_at
    turn.lead.deposit_id = paid.deposit_id
    if turn.status is LeadStatus.DEPOSIT_REQUESTED:
        turn.change_status(LeadStatus.DEPOSIT_PAID, reason="deposit paid")
    turn.say("booking.deposit_paid", purpose="deposit_paid", deposit=money(paid.amount))


async def on_booking_confirmed(turn: LeadTurn, confirmed: BookingConfirmed) -> None:
    if turn.lead.booking_id == confirmed.booking_id:
        return
    if not can_transition(turn.status, LeadStatus.BOOKED):
        # e.g. the client cancelled while paying: the artist must sort out the slot and the money.
        copy = turn.config.artist_copy
        turn.tell_artist(
            copy.render(
                "artist_alert.booking_anomaly", name=turn.client_name, status=status_words(turn.status, copy)
            ),
            purpose="artist_booking_anomaly",
        )
        return
    turn.lead.booking_id = confirmed.booking_id
    turn.lead.booking_range = {
        **confirmed.range.model_dump(mode="json"),
        "city": confirmed.city,
        "timezone": confirmed.timezone,
    }
    tz = turn.booking_tz
    turn.lead.hold_id = confirmed.hold_id
    turn.change_status(LeadStatus.BOOKED, reason="deposit paid and slot confirmed")
    await plan_messages(turn, booking_id=confirmed.booking_id, booked=confirmed.range)
    when = local_slot(confirmed.range.start, confirmed.range.end, tz)
    turn.say(
        "booking.booked",
        purpose="booking_confirmed",
        slot_time=when,
        address=turn.config.settings.studio_address,
        policy=policy_sentence(turn),
    )
    qualified = qualified_of(turn)
    copy = turn.config.artist_copy

    def booked(actions_text: str) -> str:
        # A "Mark no-show" button under the message; its link written out only when no button can go.
        no_show = actions_text or tap_hint(ActionKind.NO_SHOW, copy)
        return fit(
            lambda words: copy.render(
                "artist_alert.booked", when=when, city=confirmed.city, no_show=no_show, **words
            ),
            # The idea opens a sentence in every language's alert: "… in London. A swallow with a banner".
            {
                "name": turn.client_name,
                "idea": qualified.idea[:1].upper() + qualified.idea[1:],
                "placement": qualified.placement,
            },
            caps={"name": 60, "idea": 200, "placement": 100},
        )

    await send_decision(
        turn,
        booked,
        (ActionKind.NO_SHOW,),
        purpose="artist_booking_confirmed",
        ttl=no_show_ttl(turn, booked=confirmed.range),
    )


async def on_booking_conflict(turn: LeadTurn, conflict: BookingConflict) -> None:
    """Paid, but the slot went to someone else after the hold lapsed: refund is under way, artist steps in."""
    if turn.status is LeadStatus.NEEDS_ARTIST:
        return
    turn.say("booking.conflict", purpose="booking_conflict")
    await hand_over(turn, reason="booking_conflict")
