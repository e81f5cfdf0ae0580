"""The journey's decisions on the in-memory unit of work: no PostgreSQL, no NATS, the real handlers.

The component tests (tests/component/test_journey.py, test_appointments.py) prove the same journeys on
PostgreSQL and JetStream; these prove the decisions in milliseconds.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from inkline_contracts import subjects
from inkline_contracts.base import Money, TimeRange
from inkline_contracts.events.booking import BookingConfirmed, BookingMoved
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid, RequestDeposit
from inkline_contracts.events.hold import HoldPlaced, PlaceHold
from inkline_contracts.events.notify import ButtonsContent, SendMessage, TemplateContent
from inkline_contracts.events.slots import SuggestedSlot
from inkline_conversation.db.models import ActionToken
from inkline_conversation.domain.action_tokens import hash_token
from inkline_conversation.domain.artist_settings import defaults_from
from inkline_conversation.domain.client_questions import Topic
from inkline_conversation.domain.parsing.preload import preload_vocabularies
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.jobs.appointment_messages import PREP_NOTES_MAX
from inkline_conversation.journey.artist_taps import token_of
from inkline_conversation.journey.model_reading import CALLS_KEY
from inkline_conversation.testing.studio import ARTIST, NOON, SETTINGS, Studio, slots_from

DEPOSIT = Money(amount_minor=10000, currency="GBP")


@pytest.fixture(scope="module", autouse=True)
def vocabularies() -> None:
    """Load the parsers' word lists once, as the service does at start-up, so no test pays for it."""
    preload_vocabularies()


async def _hold(studio: Studio, slot: SuggestedSlot) -> uuid.UUID:
    """Play the calendar: the slot the lead asked for is held for 45 minutes."""
    hold_id = uuid.uuid4()
    placed = HoldPlaced(
        hold_id=hold_id,
        lead_id=studio.lead.id,
        range=slot.range,
        expires_at=studio.clock() + timedelta(minutes=45),
    )
    await studio.event(subjects.HOLD_PLACED, placed)
    return hold_id


async def _pay(studio: Studio) -> DepositPaid:
    """Play payments and Stripe: the deposit asked for gets its link, then is paid."""
    request: RequestDeposit = studio.published(subjects.DEPOSIT_REQUESTED)[-1]
    await studio.event(
        subjects.DEPOSIT_LINK_CREATED,
        DepositLinkCreated(
            deposit_id=request.deposit_id,
            lead_id=studio.lead.id,
            hold_id=request.hold_id,
            amount=DEPOSIT,
            url="https://checkout.test/pay/cs_1",
            expires_at=request.expires_at,
        ),
    )
    paid = DepositPaid(
        deposit_id=request.deposit_id,
        lead_id=studio.lead.id,
        hold_id=request.hold_id,
        amount=DEPOSIT,
        paid_at=studio.clock(),
        checkout_session_id="cs_1",
    )
    await studio.event(subjects.DEPOSIT_PAID, paid)
    return paid


async def _booked(studio: Studio) -> BookingConfirmed:
    """Offered, picked the second slot, held, paid, and confirmed by the calendar."""
    slots = await studio.offered_slots()
    await studio.say("2")
    hold_id = await _hold(studio, slots[1])
    paid = await _pay(studio)
    confirmed = BookingConfirmed(
        booking_id=uuid.uuid4(),
        lead_id=studio.lead.id,
        hold_id=hold_id,
        deposit_id=paid.deposit_id,
        range=slots[1].range,
        city="Manchester",
    )
    await studio.event(subjects.BOOKING_CONFIRMED, confirmed)
    return confirmed


async def test_a_full_consultation_asks_the_calendar_where_the_artist_is_for_the_clients_city() -> None:
    studio = Studio()

    await studio.consult()

    request = studio.last_slots_request()
    assert (request.city, request.country_code, request.size_category.value) == ("Manchester", "GB", "medium")
    assert studio.status() is LeadStatus.CONSULTING
    assert "That's everything" in studio.texts_to_client()[-1]


async def test_a_second_unreadable_size_hands_the_chat_to_the_artist_with_the_clients_words() -> None:
    studio = Studio()
    for answer in ("a koi fish", "upper arm", "big"):
        await studio.say(answer)
    assert "Could you give me a rough measurement" in studio.texts_to_client()[-1]

    await studio.say("really huge")

    assert studio.status() is LeadStatus.NEEDS_ARTIST
    [handover] = studio.published(subjects.LEAD_HANDOVER_REQUESTED)
    assert (handover.reason, handover.field) == ("two_strikes", "size")
    assert handover.answers == {"idea": "a koi fish", "placement": "upper arm"}
    packet = studio.texts_to_artist()[-1]
    assert "really huge" in packet, "the transcript so far goes to the artist"
    to_artist = [
        send for send in studio.published(subjects.NOTIFY_SEND) if send.to == SETTINGS.artist_whatsapp_number
    ]
    # Outside the artist's window: a template whose quick replies carry Hand back, Approve and Decline.
    assert len(getattr(to_artist[-1].content, "quick_reply_payloads", [])) == 3, "a tap per action"
    assert {token.action for token in studio.store.action_tokens} == {"resume_bot", "approve", "reject"}


async def test_handing_the_chat_back_keeps_the_count_of_model_reads_so_the_cap_stays_per_lead() -> None:
    studio = Studio()
    for answer in ("a koi fish", "upper arm"):
        await studio.say(answer)
    studio.lead.consultation = {**studio.lead.consultation, CALLS_KEY: 2}
    await studio.say("big")
    await studio.say("really huge")
    assert studio.status() is LeadStatus.NEEDS_ARTIST

    await studio.artist_taps(ActionKind.RESUME_BOT)

    assert studio.status() is LeadStatus.CONSULTING
    assert studio.lead.consultation[CALLS_KEY] == 2


async def test_a_client_picking_a_slot_by_number_asks_the_calendar_to_hold_that_slot() -> None:
    studio = Studio()
    slots = await studio.offered_slots()
    assert studio.status() is LeadStatus.SLOTS_OFFERED

    await studio.say("2")

    [hold] = studio.published(subjects.HOLD_REQUESTED)
    assert isinstance(hold, PlaceHold)
    assert (hold.slot_id, hold.range, hold.city) == (slots[1].slot_id, slots[1].range, "Manchester")
    assert studio.status() is LeadStatus.SLOTS_OFFERED, "the lead waits for the calendar's answer"


async def test_a_second_unclear_slot_pick_hands_the_chat_to_the_artist() -> None:
    studio = Studio()
    await studio.offered_slots()

    await studio.say("whenever suits")
    assert studio.status() is LeadStatus.SLOTS_OFFERED
    await studio.say("no idea honestly")

    assert studio.status() is LeadStatus.NEEDS_ARTIST
    assert studio.published(subjects.HOLD_REQUESTED) == []
    assert [handover.reason for handover in studio.published(subjects.LEAD_HANDOVER_REQUESTED)] == [
        "slot_pick_unclear"
    ]


async def test_when_stripe_says_paid_the_client_is_thanked_once_and_the_lead_waits_for_the_calendar() -> None:
    studio = Studio()
    slots = await studio.offered_slots()
    await studio.say("2")
    await _hold(studio, slots[1])
    assert studio.status() is LeadStatus.DEPOSIT_REQUESTED
    assert "https://checkout.test/pay/cs_1" not in " ".join(studio.texts_to_client())

    paid = await _pay(studio)
    assert "https://checkout.test/pay/cs_1" in studio.texts_to_client()[-2]
    sent = len(studio.texts_to_client())
    await studio.event(subjects.DEPOSIT_PAID, paid)  # Stripe retries its webhook: a new event, same payment

    assert studio.status() is LeadStatus.DEPOSIT_PAID
    assert studio.lead.deposit_paid_at == paid.paid_at
    assert "£100" in studio.texts_to_client()[-1]
    assert len(studio.texts_to_client()) == sent, "a repeated payment is not announced twice"
    assert studio.published(subjects.BOOKING_CONFIRMED) == []


async def test_a_confirmed_booking_plans_reminders_and_gives_the_artist_a_no_show_link() -> None:
    studio = Studio()

    confirmed = await _booked(studio)

    assert studio.status() is LeadStatus.BOOKED
    planned = {row.kind for row in studio.store.scheduled if row.booking_id == confirmed.booking_id}
    assert {"reminder_early", "reminder_final"} <= planned
    assert "Mark no-show: http://artist.test/actions/" in studio.texts_to_artist()[-1]
    assert "Manchester. A rose with a thin stem" in studio.texts_to_artist()[-1], "the idea opens a sentence"
    assert ActionKind.NO_SHOW.value in {token.action for token in studio.store.action_tokens}


def _one_button(studio: Studio, send: SendMessage) -> tuple[str, str, ActionToken]:
    """The single reply button under an artist's alert: its body, its title, and the token it carries."""
    assert isinstance(send.content, ButtonsContent)
    [button] = send.content.buttons
    token = token_of(button.id)
    assert token is not None, "the button carries an action token"
    [row] = [row for row in studio.store.action_tokens if row.token_hash == hash_token(token)]
    return send.content.body, button.title, row


async def test_inside_the_artists_window_a_booking_comes_with_a_mark_no_show_button() -> None:
    studio = Studio()
    studio.store.artist_last_wrote = studio.clock()  # the artist wrote today: buttons may go

    confirmed = await _booked(studio)

    alert = studio.published(subjects.NOTIFY_SEND)[-1]
    body, title, token = _one_button(studio, alert)
    assert (alert.to, alert.purpose, title) == (ARTIST, "artist_booking_confirmed", "Mark no-show")
    assert body.endswith("If they don't turn up: tap *Mark no-show* below")
    assert "http" not in body, "no link inside the window"
    assert token.action == ActionKind.NO_SHOW.value
    assert token.expires_at > confirmed.range.end, "usable after the session, when a no-show is known"


async def test_inside_the_artists_window_a_late_cancellation_comes_with_a_waive_the_fee_button() -> None:
    studio = Studio()
    studio.store.artist_last_wrote = studio.clock()
    confirmed = await _booked(studio)
    until_session = confirmed.range.start - studio.clock()

    await studio.say("can't make it, please cancel", after=until_session - timedelta(hours=30))
    studio.store.artist_last_wrote = studio.clock()
    await studio.say("yes")

    [alert] = [
        send for send in studio.published(subjects.NOTIFY_SEND) if send.purpose == "artist_booking_cancelled"
    ]
    body, title, token = _one_button(studio, alert)
    assert (alert.to, alert.purpose, title) == (ARTIST, "artist_booking_cancelled", "Waive the fee")
    assert "To refund them anyway: tap *Waive the fee* below" in body
    assert token.action == ActionKind.WAIVE_FEE.value


async def test_a_booked_client_rescheduling_in_good_time_is_moved_and_their_reminders_follow() -> None:
    studio = Studio()
    confirmed = await _booked(studio)
    old_plan = [row for row in studio.store.scheduled if row.booking_id == confirmed.booking_id]

    await studio.say("Hi, could I reschedule please?")
    assert studio.lead.slots_request_purpose == "reschedule"
    new_slots = slots_from(NOON + timedelta(days=12), count=2)
    await studio.answer_slots(new_slots)
    await studio.say("1")
    [_, hold] = studio.published(subjects.HOLD_REQUESTED)
    assert hold.slot_id == new_slots[0].slot_id
    hold_id = await _hold(studio, new_slots[0])
    [move] = studio.published(subjects.BOOKING_MOVE_REQUESTED)
    assert (move.booking_id, move.hold_id) == (confirmed.booking_id, hold_id)
    assert studio.status() is LeadStatus.BOOKED, "the old time is the client's until the move is done"

    moved = BookingMoved(
        booking_id=confirmed.booking_id,
        lead_id=studio.lead.id,
        hold_id=hold_id,
        previous_range=confirmed.range,
        range=new_slots[0].range,
        city="Manchester",
    )
    await studio.event(subjects.BOOKING_MOVED, moved)

    assert studio.lead.reschedules_used == 1
    assert all(row.superseded_at is not None and row.cancelled_at is not None for row in old_plan)
    new_plan = [row for row in studio.store.scheduled if row.superseded_at is None]
    assert new_plan
    assert all(row.due_at < new_slots[0].range.start for row in new_plan if "reminder" in row.kind)
    assert "Rescheduled" in studio.texts_to_artist()[-1]


async def test_a_booking_the_artist_moved_from_the_studio_is_told_to_the_client_in_their_language() -> None:
    studio = Studio()
    confirmed = await _booked(studio)
    studio.lead.language = "de"  # a German-speaking client; no reschedule under way in chat
    new_range = TimeRange(
        start=confirmed.range.start + timedelta(days=2), end=confirmed.range.end + timedelta(days=2)
    )

    moved = BookingMoved(
        booking_id=confirmed.booking_id,
        lead_id=studio.lead.id,
        hold_id=uuid.uuid4(),
        previous_range=confirmed.range,
        range=new_range,
        city="Manchester",
    )
    await studio.event(subjects.BOOKING_MOVED, moved)

    assert studio.texts_to_client()[-1].startswith("Rowan hat deinen Termin von ")
    assert studio.lead.booking_range is not None
    assert studio.lead.booking_range["start"] == new_range.model_dump(mode="json")["start"]
    assert "Rescheduled" in studio.texts_to_artist()[-1]
    assert studio.lead.reschedules_used == 0, "the artist's move does not use up the client's free one"


async def test_a_stalled_consultation_is_nudged_once_then_abandoned() -> None:
    studio = Studio()
    await studio.say("hi")

    studio.clock.advance(timedelta(hours=13))
    await studio.reminders.run()
    await studio.reminders.run()
    assert studio.purposes_to_client().count("consult_reminder") == 2, (
        "the nudge and the question again, once"
    )
    assert studio.status() is LeadStatus.CONSULTING

    studio.clock.advance(timedelta(hours=36))
    await studio.reminders.run()

    assert studio.status() is LeadStatus.ABANDONED
    assert "Just checking in" in " ".join(studio.texts_to_client())


async def test_a_booked_clients_reminder_goes_out_once_when_due_and_not_before() -> None:
    studio = Studio()
    confirmed = await _booked(studio)
    [early] = [row for row in studio.store.scheduled if row.kind == "reminder_early"]

    studio.clock.now = early.due_at - timedelta(minutes=1)
    await studio.appointment_messages.run()
    assert "appointment_reminder_early" not in studio.purposes_to_client()

    studio.clock.now = early.due_at
    await studio.appointment_messages.run()
    await studio.appointment_messages.run()

    assert studio.purposes_to_client().count("appointment_reminder_early") == 1
    assert early.sent_at == early.due_at
    assert early.booking_id == confirmed.booking_id


async def test_a_reminder_the_artist_switches_off_after_the_booking_is_not_sent_and_the_other_still_is() -> (
    None
):
    studio = Studio()
    await _booked(studio)
    studio.store.artist_settings = defaults_from(SETTINGS).model_copy(
        update={"appointment_early_reminder_on": False}
    )
    [early] = [row for row in studio.store.scheduled if row.kind == "reminder_early"]
    [final] = [row for row in studio.store.scheduled if row.kind == "reminder_final"]

    studio.clock.now = early.due_at
    await studio.appointment_messages.run()
    studio.clock.now = final.due_at
    await studio.appointment_messages.run()

    assert "appointment_reminder_early" not in studio.purposes_to_client()
    assert (early.sent_at, early.cancelled_at) == (None, early.due_at)
    assert studio.purposes_to_client().count("appointment_reminder_final") == 1


async def test_the_reminders_carry_the_artists_own_what_to_bring() -> None:
    studio = Studio()
    await _booked(studio)
    studio.store.artist_settings = defaults_from(SETTINGS).model_copy(
        update={"faq_answers": {Topic.BRING: "Photo ID,\n  a snack and loose clothes."}}
    )
    [final] = [row for row in studio.store.scheduled if row.kind == "reminder_final"]

    studio.clock.now = final.due_at
    await studio.appointment_messages.run()

    assert (
        "Before your session: Photo ID, a snack and loose clothes. Tap Confirm"
        in studio.texts_to_client()[-1]
    )


async def test_a_long_what_to_bring_is_shortened_to_fit_the_reminder_template() -> None:
    studio = Studio()
    await _booked(studio)
    long_notes = "Bring photo ID and a snack. " * 40
    studio.store.artist_settings = defaults_from(SETTINGS).model_copy(
        update={"faq_answers": {Topic.BRING: long_notes}}
    )
    [early] = [row for row in studio.store.scheduled if row.kind == "reminder_early"]

    studio.clock.now = early.due_at
    await studio.appointment_messages.run()

    sends: list[SendMessage] = studio.published(subjects.NOTIFY_SEND)
    [reminder] = [send for send in sends if send.purpose == "appointment_reminder_early"]
    assert isinstance(reminder.content, TemplateContent)
    _, notes = reminder.content.body_parameters
    assert len(notes) <= PREP_NOTES_MAX
    assert notes.startswith("Bring photo ID and a snack. Bring")
    assert notes.endswith("…")


async def test_a_flood_is_stored_whole_and_answered_once_by_the_catch_up_pass() -> None:
    studio = Studio()
    await studio.say("hi")
    sent_before = len(studio.texts_to_client())

    for number in range(8):
        await studio.say(f"spam {number}", after=timedelta(seconds=1))
    deferred = [row for row in studio.store.inbound if row.processed_at is None]
    studio.clock.advance(timedelta(seconds=SETTINGS.catch_up_after_seconds + 1))
    await studio.reminders.run()

    assert len(deferred) > 1, "the burst waited for the catch-up pass"
    assert all(row.processed_at is not None for row in studio.store.inbound), "nothing is lost"
    assert studio.lead.consultation["answers"]["idea"] == "spam 0"
    assert len(studio.texts_to_client()) - sent_before < 6, "a burst is answered in bulk"
