"""One locked lead inside one unit of work: what a handler may read, change, say and publish."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import structlog

from inkline_contracts import subjects
from inkline_contracts.base import Contract, is_phone
from inkline_contracts.events.lead import LeadStatusChanged
from inkline_contracts.events.notify import Category, Content, SendMessage, TextContent
from inkline_contracts.subjects import Subject
from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.domain.client_label import chat_link, client_label
from inkline_conversation.domain.consultation_events import Reply
from inkline_conversation.domain.copy import LocalFormats, ParamValue
from inkline_conversation.domain.statuses import ActionKind, LeadStatus, transition
from inkline_conversation.domain.time_zones import known_zone
from inkline_conversation.journey import messages
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import Repositories
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)

P = TypeVar("P", bound=Contract)

# Within one batch of client messages, a later message makes these earlier replies pointless.
SUPERSEDED_PURPOSES = frozenset({"consult_question", "consult_repair", "holding_reply"})


@dataclass
class LeadTurn:
    """Holds the lead's row lock for the whole transaction, so one lead is never handled twice at once."""

    work: UnitOfWork
    repos: Repositories
    config: JourneyConfig
    lead: Lead
    contact: Contact
    now: datetime
    causation_id: uuid.UUID | None = None
    _buffer: list[tuple[Content, str]] | None = field(default=None, repr=False)

    @property
    def status(self) -> LeadStatus:
        return LeadStatus(self.lead.status)

    def zone(self, name: str | None) -> ZoneInfo:
        """Where a session's times are read: its place's zone when the calendar named one (a tour city
        abroad), else the artist's own."""
        zone = known_zone(name)
        if zone is not None:
            return zone
        if name:
            log.warning("unknown_timezone", lead_id=str(self.lead.id), timezone=name)
        return self.config.tz

    @property
    def booking_tz(self) -> ZoneInfo:
        return self.zone((self.lead.booking_range or {}).get("timezone"))

    @property
    def offer_tz(self) -> ZoneInfo:
        """The zone of the slots on offer (one suggestion is for one place)."""
        offered = self.lead.offered_slots or []
        return self.zone(offered[0].get("timezone") if offered else None)

    @property
    def client_name(self) -> str:
        return self.contact.profile_name or client_label(
            address=self.contact.wa_id, phone=self.contact.phone, username=self.contact.username
        )

    @property
    def chat_link(self) -> str:
        """wa.me for a client with a phone number; a username client may have shared none."""
        return chat_link(address=self.contact.wa_id, phone=self.contact.phone, username=self.contact.username)

    @property
    def without_number(self) -> str | None:
        """How the artist tells a client who shared no phone number (their username), else None."""
        if self.contact.phone or is_phone(self.contact.wa_id):
            return None
        return client_label(address=self.contact.wa_id, phone=None, username=self.contact.username)

    def publish(self, subject: Subject[P], payload: P) -> None:
        self.work.publish(subject, payload, correlation_id=str(self.lead.id), causation_id=self.causation_id)

    def change_status(self, target: LeadStatus, *, reason: str) -> None:
        """The only way a lead's status changes: checked against the table, and always announced."""
        current = self.status
        if current is target and target is not LeadStatus.SLOTS_OFFERED:
            return
        transition(current, target)
        self.lead.status = target.value
        self.lead.status_changed_at = self.now
        self.lead.updated_at = self.now
        self.publish(
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(
                lead_id=self.lead.id,
                wa_id=self.lead.wa_id,
                from_status=current.value,
                to_status=target.value,
                reason=reason,
            ),
        )
        log.info("lead_status_changed", lead_id=str(self.lead.id), to=target.value, reason=reason)

    @property
    def formats(self) -> LocalFormats:
        """How dates and money read in the client's language, for text built outside a copy text."""
        return self.config.copy(self.lead.language).formats

    def render(self, key: str, **params: ParamValue) -> str:
        return self.config.copy(self.lead.language).render(key, artist_name=self.config.artist_name, **params)

    def send(self, content: Content, *, purpose: str, to: str | None = None) -> None:
        """Queue a message to the client (or to `to`); nothing reaches an opted-out client but the STOP reply."""
        recipient = to or self.contact.wa_id
        if recipient == self.contact.wa_id and self.contact.opted_out and purpose != "consent_confirmation":
            log.info("suppressed_opted_out", lead_id=str(self.lead.id), purpose=purpose)
            return
        if recipient == self.contact.wa_id and self._buffer is not None:
            self._buffer.append((content, purpose))
            return
        self._publish_send(recipient, content, purpose)

    def start_buffering(self) -> None:
        """Hold client messages until flush_buffer, so a batch can drop replies a later message made stale."""
        self._buffer = []

    def drop_buffered(self, purposes: frozenset[str]) -> None:
        if self._buffer is not None:
            self._buffer = [
                (content, purpose) for content, purpose in self._buffer if purpose not in purposes
            ]

    def flush_buffer(self) -> None:
        buffered, self._buffer = self._buffer or [], None
        for content, purpose in buffered:
            if self.contact.opted_out and purpose != "consent_confirmation":
                continue  # the batch ended with STOP: nothing queued before it goes out
            self._publish_send(self.contact.wa_id, content, purpose)

    def _publish_send(self, recipient: str, content: Content, purpose: str) -> None:
        # The client reads their own language, also in a template outside the 24-hour window; and their
        # window opened when they last wrote: told to the notifier with the send, which may reach it before
        # the message that opened it.
        is_client = recipient == self.contact.wa_id
        self.publish(
            subjects.NOTIFY_SEND,
            SendMessage(
                to=recipient,
                content=content,
                category=Category.SERVICE,
                purpose=purpose,
                language=self.lead.language if is_client else None,
                window_opened_at=self.lead.last_inbound_at if is_client else None,
            ),
        )

    def say(self, key: str, *, purpose: str, **params: ParamValue) -> None:
        self.send(TextContent(body=self.render(key, **params)), purpose=purpose)

    def say_reply(self, reply: Reply, *, purpose: str) -> None:
        copy = self.config.copy(self.lead.language)
        self.send(TextContent(body=copy.render(reply.key, **dict(reply.params))), purpose=purpose)

    def tell_artist(self, body: str, *, purpose: str) -> None:
        self.send(messages.text(body), purpose=purpose, to=self.config.settings.artist_whatsapp_number)

    async def action_links(
        self, actions: Iterable[ActionKind], *, ttl: timedelta | None = None
    ) -> dict[ActionKind, str]:
        """Fresh single-use links for the artist to act on this lead, valid for the configured time."""
        return await self.repos.action_links.issue(
            self.lead.id,
            actions,
            now=self.now,
            ttl=ttl or self.config.link_ttl,
            base_url=self.config.settings.public_base_url,
        )


async def open_turn(
    work: UnitOfWork,
    repos: Repositories,
    config: JourneyConfig,
    lead_id: uuid.UUID,
    *,
    causation_id: uuid.UUID | None,
) -> LeadTurn | None:
    """Lock the lead (waiting for any other handler of it to finish) and its contact."""
    lead = await repos.leads.lock(lead_id)
    if lead is None:
        log.warning("unknown_lead", lead_id=str(lead_id))
        return None
    return await turn_on(work, repos, config, lead, now=config.clock(), causation_id=causation_id)


async def turn_on(
    work: UnitOfWork,
    repos: Repositories,
    config: JourneyConfig,
    lead: Lead,
    *,
    now: datetime,
    causation_id: uuid.UUID | None = None,
) -> LeadTurn:
    """A turn on a lead the caller has locked already (an action link's page locks it with its token)."""
    contact = await repos.leads.contact(lead.wa_id)
    assert contact is not None, "a lead always has its contact (foreign key)"
    # What the artist saved in the studio applies from the next turn on, without a restart: the newest
    # version's id is read in the turn's own transaction (with the lead's lock, when `open_turn` took it),
    # so every replica agrees; the version itself is parsed once per process (db/artist_settings.py).
    config = config.with_artist_settings(await repos.artist_settings.current())
    return LeadTurn(
        work=work, repos=repos, config=config, lead=lead, contact=contact, now=now, causation_id=causation_id
    )
