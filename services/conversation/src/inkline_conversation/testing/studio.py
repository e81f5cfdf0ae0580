"""A studio in memory for unit tests of the journey: the real handlers, router and steps, on the
in-memory unit of work (inkline_conversation.testing), with a clock the test moves."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from inkline_contracts import subjects
from inkline_contracts.base import Contract, TimeRange
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.events.notify import SendMessage
from inkline_contracts.events.slots import RequestSlots, SlotsSuggested, SuggestedSlot
from inkline_contracts.subjects import Subject
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.handlers.client_messages import ClientMessageHandler
from inkline_conversation.handlers.lead_events import LeadEventHandler
from inkline_conversation.jobs.appointment_messages import AppointmentMessages
from inkline_conversation.jobs.reminders import Reminders
from inkline_conversation.journey.artist_actions import ArtistActions
from inkline_conversation.journey.config import build_config
from inkline_conversation.settings import ConversationSettings
from inkline_conversation.testing.memory import InMemoryConversation
from inkline_platform.testing import FakeClock, deliver

ARTIST = "447700900000"
# A Wednesday morning in London.
NOON = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
SETTINGS = ConversationSettings(
    inkline_sandbox=True,
    artist_whatsapp_number=ARTIST,
    artist_name="Rowan",
    artist_currency="GBP",
    minimum_spend_minor=15000,
    public_base_url="http://artist.test",
    # Nothing here reaches WhatsApp: the in-memory journey only queues messages.
    whatsapp_graph_url="http://graph.test/v21.0",
    flood_messages_per_minute=5,
    log_json=False,
)
# The consultation's answers, one a question (test_journey.py's component journey, word for word), and the
# "1" that sends the read-back to the artist.
ANSWERS = (
    "Hi, I'd like to book a tattoo",
    "a rose with a thin stem",
    "left inner forearm",
    "10x15cm",
    "fine line",
    "skip",
    "£400-500",
    "Manchester, UK",
    "next two weeks",
    "@sam.ink",
    "1",
)
_wamids = itertools.count(1)


class Studio:
    """One artist's conversation service in memory, and one client writing to it."""

    def __init__(self, wa_id: str = "447700900123") -> None:
        self.store = InMemoryConversation()
        self.clock = FakeClock(NOON)
        self.config = build_config(SETTINGS, clock=self.clock)
        self.client_messages = ClientMessageHandler(self.config, self.store.repositories)
        self.lead_events = LeadEventHandler(self.config, self.store.repositories)
        self.reminders = Reminders(self.store, self.config, self.store.repositories)
        self.appointment_messages = AppointmentMessages(self.store, self.config, self.store.repositories)
        self.wa_id = wa_id
        self.lead = self.store.add_lead(wa_id, LeadStatus.NEW, now=self.clock(), name="Sam")

    def status(self) -> LeadStatus:
        # A method, not a property: each call reads the lead anew (mypy would narrow a property).
        return LeadStatus(self.lead.status)

    async def say(self, text: str, *, after: timedelta = timedelta(minutes=2)) -> None:
        """The client writes `after` their last message (by default as a person types, never a flood); the
        webhook stores it and the consumer runs, as in production."""
        self.clock.advance(after)
        wamid = f"wamid.unit{next(_wamids)}"
        raw = {"from": self.wa_id, "id": wamid, "type": "text", "text": {"body": text}}
        self.store.add_inbound(self.lead, raw, kind="text", text=text, sent_at=self.clock())
        received = ClientMessageReceived(
            lead_id=self.lead.id,
            wa_id=self.wa_id,
            whatsapp_message_id=wamid,
            kind=InboundKind.TEXT,
            text=text,
            sent_at_epoch=int(self.clock().timestamp()),
        )
        await deliver(self.store, self.client_messages, subjects.CONSULT_MESSAGE_RECEIVED, received)

    async def event(self, subject: Subject[Any], payload: Contract) -> None:
        """Another service's event about the lead reaches the consumer."""
        await deliver(self.store, self.lead_events, subject, payload, correlation_id=str(self.lead.id))

    async def artist_taps(self, action: ActionKind) -> str:
        """The artist confirms an action link's page (api/action_pages.py checks the token first)."""
        async with self.store() as work:
            done = await ArtistActions(self.config, self.store.repositories)(
                work, self.lead, action, self.clock()
            )
            await work.commit()
        return done

    def published(self, subject: Subject[Any]) -> list[Any]:
        return self.store.messages.on(subject)

    def _texts(self, to: str) -> list[str]:
        sends: list[SendMessage] = self.published(subjects.NOTIFY_SEND)
        # What the person reads: the text, or the parameters of a template (the artist outside their window).
        return [
            str(getattr(send.content, "body", "") or " ".join(getattr(send.content, "body_parameters", [])))
            for send in sends
            if send.to == to
        ]

    def purposes_to_client(self) -> list[str]:
        sends: list[SendMessage] = self.published(subjects.NOTIFY_SEND)
        return [send.purpose for send in sends if send.to == self.wa_id]

    def texts_to_client(self) -> list[str]:
        return self._texts(self.wa_id)

    def texts_to_artist(self) -> list[str]:
        return self._texts(ARTIST)

    def last_slots_request(self) -> RequestSlots:
        request: RequestSlots = self.published(subjects.SLOTS_REQUESTED)[-1]
        return request

    async def answer_slots(self, slots: list[SuggestedSlot]) -> None:
        """Play the calendar: answer the lead's latest slots.requested."""
        request = self.last_slots_request()
        await self.event(
            subjects.SLOTS_SUGGESTED,
            SlotsSuggested(
                request_id=request.request_id, lead_id=self.lead.id, slots=slots, preference_met=True
            ),
        )

    async def consult(self) -> None:
        for answer in ANSWERS:
            await self.say(answer)

    async def offered_slots(self) -> list[SuggestedSlot]:
        """Consulted, approved by the artist, and shown three slots in Manchester."""
        await self.consult()
        await self.answer_slots(slots_from(NOON + timedelta(days=5), count=3))
        await self.artist_taps(ActionKind.APPROVE)
        slots = slots_from(NOON + timedelta(days=6), count=3)
        await self.answer_slots(slots)
        return slots


def slots_from(first: datetime, *, count: int, hours: int = 4) -> list[SuggestedSlot]:
    """One slot a day at `first`'s time, in Manchester."""
    starts = [first + timedelta(days=offset) for offset in range(count)]
    return [
        SuggestedSlot(
            slot_id=f"slot-{start:%Y%m%d%H%M}",
            range=TimeRange(start=start, end=start + timedelta(hours=hours)),
            city="Manchester",
        )
        for start in starts
    ]
