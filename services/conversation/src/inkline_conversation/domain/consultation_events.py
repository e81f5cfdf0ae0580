"""What goes into and comes out of the consultation machine: inbound messages, replies, events, steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inkline_conversation.domain.consultation_state import AnswerValue, ConsultationState, Field
from inkline_conversation.domain.copy import ParamValue
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.instagram import InstagramHandle
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.references import References
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.style import Style
from inkline_conversation.domain.parsing.windows import TimeWindow
from inkline_conversation.domain.rules import MinimumCheck, SizeCategory


@dataclass(frozen=True, slots=True)
class TextMessage:
    """A plain text message (interactive replies are passed as their title text)."""

    text: str


@dataclass(frozen=True, slots=True)
class MediaMessage:
    """A photo or video, possibly with a caption."""

    media_id: str
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class UnsupportedMessage:
    """A message type the bot cannot read (voice note, sticker, shared contact)."""

    kind: str


@dataclass(frozen=True, slots=True)
class LocationMessage:
    """A shared location pin; Meta adds the place's name and address when the client picked a place."""

    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class SilentMessage:
    """Read, never answered: a reaction, a system notice (the client changed number), or WhatsApp's note
    that someone opened the chat for the first time (`request_welcome`)."""

    kind: str


Inbound = TextMessage | MediaMessage | UnsupportedMessage | LocationMessage | SilentMessage


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send: a copy key and its placeholder values."""

    key: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldAnswered:
    """A question got a usable answer (value None means an optional question was skipped)."""

    field: Field
    value: AnswerValue | None


@dataclass(frozen=True, slots=True)
class CompletedAnswers:
    """The full, typed consultation; optional answers are None when skipped."""

    idea: str
    placement: Placement
    size: Size
    style: Style | None
    references: References | None
    budget: BudgetRange
    location: Location
    windows: tuple[TimeWindow, ...]
    instagram: InstagramHandle | None


@dataclass(frozen=True, slots=True)
class ConsultationCompleted:
    """Every question is answered; minimum_check is None when the artist has no minimum configured."""

    answers: CompletedAnswers
    size_category: SizeCategory
    minimum_check: MinimumCheck | None
    wording: Mapping[Field, str] = field(default_factory=dict)  # the client's words behind each answer


@dataclass(frozen=True, slots=True)
class HandoverRequested:
    """The artist must take over; reason is "two_strikes" or an intent value such as "refund"."""

    reason: str
    field: Field | None


@dataclass(frozen=True, slots=True)
class OptOutRequested:
    """The client asked to stop messages; callers record consent and stop sending."""


@dataclass(frozen=True, slots=True)
class OptInRequested:
    """The client asked to receive messages again."""


Event = FieldAnswered | ConsultationCompleted | HandoverRequested | OptOutRequested | OptInRequested


@dataclass(frozen=True, slots=True)
class Step:
    """The outcome of one inbound message: the new state, replies in send order, and domain events."""

    state: ConsultationState
    replies: tuple[Reply, ...] = ()
    events: tuple[Event, ...] = ()
