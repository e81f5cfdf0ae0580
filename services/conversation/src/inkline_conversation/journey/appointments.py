"""After the booking: reminders before the appointment and aftercare after it are planned here, a booked
client's messages are answered, and no-shows recorded.

The messages are planned as scheduled_messages rows in the transaction that books the lead, and sent by
the periodic pass in jobs/appointment_messages.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import structlog

from inkline_contracts.base import TimeRange
from inkline_contracts.events.booking import BookingCancelled
from inkline_conversation.domain.appointment_plan import (
    APPOINTMENT_BUTTON_PREFIX,
    AppointmentMessage,
    AppointmentTimings,
    plan_appointment,
)
from inkline_conversation.domain.artist_text import fit
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.parsing.text import normalise
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import local_slot
from inkline_conversation.settings import ConversationSettings

log = structlog.get_logger(__name__)

CONFIRM_BUTTON_ID = "appt:confirm"
# The reminder's other buttons; appointment_changes answers them.
RESCHEDULE_BUTTON_ID = "appt:reschedule"
CANCEL_BUTTON_ID = "appt:cancel"
# A template's quick-reply button arrives as its text, so the word itself confirms too.
_CONFIRM_WORDS = frozenset({"confirm", "confirmed", "i confirm", "confirm please", "yes confirm"})
_PHOTO_LINK_LIFETIME = timedelta(days=90)


def timings_of(settings: ConversationSettings) -> AppointmentTimings:
    return AppointmentTimings(
        early_reminder_hours=settings.appointment_early_reminder_hours,
        final_reminder_hours=settings.appointment_final_reminder_hours,
        aftercare_hour=settings.aftercare_hour,
        check_in_days=settings.aftercare_check_in_days,
        healed_photo_days=settings.healed_photo_days,
    )


def purpose_of(kind: AppointmentMessage) -> str:
    """The notify.send purpose, which also picks the notifier's template outside the 24 h window."""
    return f"appointment_{kind.value}"


async def plan_messages(turn: LeadTurn, *, booking_id: uuid.UUID, booked: TimeRange) -> None:
    """Store this booking's reminders and aftercare; planning the same booking again adds nothing."""
    planned = plan_appointment(
        start=booked.start,
        end=booked.end,
        now=turn.now,
        tz=turn.booking_tz,
        timings=timings_of(turn.config.settings),
    )
    await turn.repos.scheduled.plan(turn.lead.id, booking_id, planned)


async def replan_messages(turn: LeadTurn, *, booking_id: uuid.UUID, booked: TimeRange) -> None:
    """A moved booking: the old plan is superseded (what was not sent never will be), a new one is made."""
    await turn.repos.scheduled.supersede(booking_id, turn.now)
    await plan_messages(turn, booking_id=booking_id, booked=booked)


async def cancel_pending(turn: LeadTurn, *, booking_id: uuid.UUID, reason: str) -> int:
    """Nothing not yet sent for this booking will be sent."""
    cancelled = await turn.repos.scheduled.cancel_pending(booking_id, turn.now)
    log.info("appointment_messages_cancelled", lead_id=str(turn.lead.id), count=cancelled, reason=reason)
    return cancelled


async def on_booking_cancelled(turn: LeadTurn, cancelled: BookingCancelled) -> None:
    """A cancelled booking gets no reminder and no aftercare."""
    await cancel_pending(turn, booking_id=cancelled.booking_id, reason=cancelled.reason)


def booked_range(turn: LeadTurn) -> tuple[datetime, datetime] | None:
    booked = turn.lead.booking_range
    if not booked:
        return None
    return datetime.fromisoformat(booked["start"]), datetime.fromisoformat(booked["end"])


def is_confirmation(text: str) -> bool:
    return text.strip() == CONFIRM_BUTTON_ID or normalise(text).strip(" .!") in _CONFIRM_WORDS


async def on_booked_message(turn: LeadTurn, message: ClientMessage) -> None:
    """A booked client wrote something that is not a change of date: a confirmation is thanked, anything
    else goes to the artist."""
    text = message.text
    booked = booked_range(turn)
    slot_time = local_slot(*booked, turn.booking_tz) if booked else ""
    if text is not None and is_confirmation(text):
        turn.say("appointment.confirmed", purpose="appointment_confirmed", slot_time=slot_time)
        return
    # The whole message is in the chat; the artist's copy is shortened so the chat link always arrives.
    forwarded = fit(
        lambda words: turn.config.artist_copy.render("artist_alert.client_wrote", when=slot_time, **words),
        {"name": turn.client_name, "text": text or "[media]"},
        caps={"name": 60},
    )
    turn.tell_artist(forwarded, purpose="artist_booked_client_message")
    answered = turn.lead.holding_reply_at
    if answered is None or answered < turn.lead.status_changed_at:
        turn.lead.holding_reply_at = turn.now
        turn.say("appointment.booked_message", purpose="holding_reply")


async def on_ended_appointment_tap(turn: LeadTurn, message: ClientMessage) -> bool:
    """A button of a cancelled or missed booking's messages, tapped again: nothing to do, and say so."""
    if not (message.text or "").startswith(APPOINTMENT_BUTTON_PREFIX):
        return False
    turn.say("appointment.button_no_longer_applies", purpose="stale_button")
    return True


async def on_booked_media(turn: LeadTurn, message: ClientMessage) -> None:
    """A booked client's picture (the healed photo we asked for, usually) is stored and linked for the artist.

    The download job stores the bytes; the signed link works once it has, for as long as the artist needs.
    """
    media_id = message.media_id
    assert media_id is not None, "only media messages are routed here"
    healed_asked = await turn.repos.scheduled.was_sent(turn.lead.id, AppointmentMessage.HEALED_PHOTO.value)
    settings = turn.config.settings
    link = signed_media_url(
        base_url=settings.public_base_url,
        media_id=media_id,
        secret=settings.media_link_secret,
        expires_at=turn.now + _PHOTO_LINK_LIFETIME,
    )
    what = "artist_alert.healed_photo" if healed_asked else "artist_alert.photo"
    turn.tell_artist(
        turn.config.artist_copy.render(what, name=turn.client_name, link=link), purpose="artist_client_photo"
    )
    turn.say("appointment.healed_photo_thanks", purpose="photo_thanks")


def no_show_ttl(turn: LeadTurn, *, booked: TimeRange) -> timedelta:
    """The "Mark no-show" button is used after the session, so it lives until a while after."""
    config = turn.config
    return max(config.link_ttl, booked.end - turn.now + config.link_ttl)


async def mark_no_show(turn: LeadTurn) -> str:
    """The artist says the client did not come: the lead records it, aftercare is called off."""
    turn.change_status(LeadStatus.NO_SHOW, reason="artist marked a no-show")
    if turn.lead.booking_id is not None:
        await cancel_pending(turn, booking_id=turn.lead.booking_id, reason="no_show")
    return turn.config.artist_copy.render("artist_alert.no_show_recorded", name=turn.client_name)
