"""The periodic pass that sends a booked client's due reminders and aftercare.

The pass takes the lead's row lock first (the order every other handler uses), then the scheduled row
FOR UPDATE SKIP LOCKED, and marks it sent in the transaction that writes notify.send to the outbox: a
message goes once, whatever restarts or overlaps. The messages are planned by journey/appointments.py.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from inkline_contracts import subjects
from inkline_contracts.events.notify import (
    Category,
    Content,
    SendMessage,
    TemplateContent,
)
from inkline_contracts.languages import template_language
from inkline_conversation.db.models import ScheduledMessage
from inkline_conversation.domain.appointment_plan import AppointmentMessage, still_worth_sending
from inkline_conversation.domain.client_questions import Topic
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import messages
from inkline_conversation.journey.appointments import (
    CANCEL_BUTTON_ID,
    CONFIRM_BUTTON_ID,
    RESCHEDULE_BUTTON_ID,
    booked_range,
    purpose_of,
    timings_of,
)
from inkline_conversation.journey.config import JourneyConfig, faq_answers
from inkline_conversation.journey.repositories import RepositoriesOf, UnitsOfWork
from inkline_conversation.journey.turn import LeadTurn, open_turn
from inkline_conversation.journey.wording import local_slot
from inkline_conversation.settings import ConversationSettings

log = structlog.get_logger(__name__)

_BATCH = 200


def _content(turn: LeadTurn, kind: AppointmentMessage, start: datetime, end: datetime) -> Content:
    settings = turn.config.settings
    # Meta names translations its own way ("pt_BR"): a template in a code it does not know is refused.
    language = template_language(turn.lead.language)
    slot_time = local_slot(start, end, turn.booking_tz)
    prep_notes = _prep_notes(turn)
    if kind is AppointmentMessage.REMINDER_FINAL:
        # Inside the service window the client gets a real button; outside it the notifier sends this
        # purpose's template, whose quick-reply "Confirm" comes back as that word.
        body = turn.render(
            "appointment.reminder_final",
            slot_time=slot_time,
            address=settings.studio_address,
            prep_notes=prep_notes,
        )
        return messages.buttons(
            body,
            [
                (CONFIRM_BUTTON_ID, turn.render("appointment.confirm_button")),
                (RESCHEDULE_BUTTON_ID, turn.render("appointment.reschedule_button")),
                (CANCEL_BUTTON_ID, turn.render("appointment.cancel_button")),
            ],
        )
    if kind is AppointmentMessage.REMINDER_EARLY:
        return TemplateContent(
            name=settings.appointment_reminder_template,
            language=language,
            body_parameters=[turn.formats.slot(slot_time), prep_notes],
        )
    template, key = {
        AppointmentMessage.AFTERCARE_EVENING: (
            settings.aftercare_evening_template,
            "appointment.aftercare_evening",
        ),
        AppointmentMessage.AFTERCARE_CHECK_IN: (
            settings.aftercare_check_in_template,
            "appointment.aftercare_check_in",
        ),
        AppointmentMessage.HEALED_PHOTO: (settings.healed_photo_template, "appointment.healed_photo"),
    }[kind]
    return TemplateContent(name=template, language=language, body_parameters=[turn.render(key)])


# A template's body with its parameters must stay within Meta's 1024 characters; the reminder's own words
# and the time take the rest.
PREP_NOTES_MAX = 600


def _prep_notes(turn: LeadTurn) -> str:
    """The artist's own "what to bring" when they wrote one, else the standard notes. A template parameter
    may not hold line breaks or runs of spaces (Meta refuses it), and the text goes mid-sentence."""
    written = faq_answers(turn.config.settings).get(Topic.BRING)
    if not written:
        return turn.render("appointment.prep_notes")
    notes = " ".join(written.split()).rstrip(".!")
    if len(notes) <= PREP_NOTES_MAX:
        return notes
    return notes[: PREP_NOTES_MAX - 1].rsplit(" ", 1)[0] + "…"


def _turned_off(kind: AppointmentMessage, settings: ConversationSettings) -> bool:
    """The artist switched this reminder off in the studio (it applies to bookings already made too)."""
    if kind is AppointmentMessage.REMINDER_EARLY:
        return not settings.appointment_early_reminder_on
    if kind is AppointmentMessage.REMINDER_FINAL:
        return not settings.appointment_final_reminder_on
    return False


def deliver(turn: LeadTurn, row: ScheduledMessage) -> bool:
    """Send one due message, or retire it when it no longer applies; either way it is never sent again."""
    kind = AppointmentMessage(row.kind)
    booked = booked_range(turn)
    reason = None
    if booked is None or turn.lead.booking_id != row.booking_id:
        reason = "booking_no_longer_current"
    elif not still_worth_sending(
        kind,
        due_at=row.due_at,
        appointment_start=booked[0],
        now=turn.now,
        timings=timings_of(turn.config.settings),
    ):
        reason = "too_late"
    elif _turned_off(kind, turn.config.settings):
        reason = "turned_off"
    elif turn.status is LeadStatus.NEEDS_ARTIST and turn.lead.resume_status == LeadStatus.BOOKED.value:
        return False  # the artist has the chat: the message waits until it is handed back or goes stale
    elif turn.status is not LeadStatus.BOOKED:
        reason = "booking_no_longer_current"
    elif turn.contact.opted_out:
        reason = "opted_out"
    if reason is not None or booked is None:
        row.cancelled_at = turn.now
        log.info("appointment_message_dropped", lead_id=str(turn.lead.id), kind=kind.value, reason=reason)
        return False
    turn.publish(
        subjects.NOTIFY_SEND,
        SendMessage(
            to=turn.contact.wa_id,
            content=_content(turn, kind, *booked),
            category=Category.UTILITY,
            purpose=purpose_of(kind),
            # The final reminder is free-form: outside the 24 h window the notifier sends it as a
            # template, in the translation for the client's language.
            language=turn.lead.language,
        ),
    )
    row.sent_at = turn.now
    log.info("appointment_message_sent", lead_id=str(turn.lead.id), kind=kind.value)
    return True


class AppointmentMessages:
    """The periodic pass (ServiceRuntime.every) that sends due reminders and aftercare."""

    def __init__(self, uow: UnitsOfWork, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._uow = uow
        self._config = config
        self._repositories = repositories

    async def run(self) -> None:
        await self.send_due()

    async def send_due(self) -> int:
        """Send (or retire) every due message; returns how many went out."""
        now = self._config.clock()
        async with self._uow() as work:
            due = await self._repositories(work).scheduled.due(now, _BATCH)
        sent = 0
        for message_id, lead_id in due:
            async with self._uow() as work:
                repos = self._repositories(work)
                turn = await open_turn(work, repos, self._config, lead_id, causation_id=None)
                if turn is None:
                    continue
                row = await repos.scheduled.lock_unsent(message_id)
                if row is not None and deliver(turn, row):
                    sent += 1
                await work.commit()
        return sent
