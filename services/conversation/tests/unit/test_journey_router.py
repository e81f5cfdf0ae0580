from inkline_contracts.events.deposit import DepositPaid
from inkline_contracts.events.hold import HoldPlaced
from inkline_contracts.events.slots import SlotsSuggested
from inkline_conversation.app import LEAD_EVENTS
from inkline_conversation.domain.statuses import LeadStatus, Purpose
from inkline_conversation.journey import booking, client_messages, reschedule
from inkline_conversation.journey.handover import asked_for_artist
from inkline_conversation.journey.inbound_messages import InboundKind
from inkline_conversation.journey.router import CLIENT_STEPS, EVENT_STEPS, PURPOSE_STEPS, First


def test_every_status_and_kind_of_message_has_a_step() -> None:
    assert set(CLIENT_STEPS) == {(status, kind) for status in LeadStatus for kind in InboundKind}


def test_a_silent_message_is_read_silently_whatever_the_status() -> None:
    assert {CLIENT_STEPS[(status, InboundKind.SILENT)] for status in LeadStatus} == {
        client_messages.read_silently
    }


def test_a_slot_pick_goes_to_booking_unless_the_client_asks_for_the_artist() -> None:
    step = CLIENT_STEPS[(LeadStatus.SLOTS_OFFERED, InboundKind.TEXT)]
    assert isinstance(step, First)
    assert step.attempts == (asked_for_artist,)
    assert step.then is booking.on_slot_reply


def test_a_picture_while_waiting_for_slots_gets_the_holding_answer() -> None:
    step = CLIENT_STEPS[(LeadStatus.SLOTS_OFFERED, InboundKind.MEDIA)]
    assert isinstance(step, First)
    assert step.then is client_messages.holding_reply


def test_stripe_saying_paid_runs_the_deposit_step() -> None:
    assert EVENT_STEPS[DepositPaid] is booking.on_deposit_paid


def test_slots_and_holds_go_where_their_purpose_says() -> None:
    assert PURPOSE_STEPS[(SlotsSuggested, Purpose.OFFER)] is booking.offer_slots
    assert PURPOSE_STEPS[(SlotsSuggested, Purpose.RESCHEDULE)] is reschedule.offer_new_times
    assert PURPOSE_STEPS[(HoldPlaced, Purpose.OFFER)] is booking.on_hold_placed
    assert PURPOSE_STEPS[(HoldPlaced, Purpose.RESCHEDULE)] is reschedule.on_reschedule_hold_placed


def test_every_lead_event_the_service_consumes_has_a_step() -> None:
    purposed = {event for event, _ in PURPOSE_STEPS}
    unrouted = [
        subject.name
        for subject, _ in LEAD_EVENTS
        if subject.payload not in EVENT_STEPS and subject.payload not in purposed
    ]
    assert unrouted == []
