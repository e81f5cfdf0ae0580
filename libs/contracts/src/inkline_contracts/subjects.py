"""Every subject Inkline publishes on, with its payload model and its stream.

Subjects are `inkline.<context>.<event>.v<N>`. A service never spells a subject by hand: it imports the
constant from here. An incompatible payload change means a new subject with the next version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from inkline_contracts.base import Contract
from inkline_contracts.events import (
    booking,
    campaign,
    consult,
    deposit,
    hold,
    lead,
    legacy_v1,
    notify,
    slots,
    system,
)
from inkline_contracts.events.artist import ArtistMessageReceived, ArtistSettingsChanged

P = TypeVar("P", bound=Contract)

PREFIX = "inkline"


@dataclass(frozen=True)
class Subject(Generic[P]):
    """A subject name bound to the payload model it carries and the stream that stores it."""

    context: str
    event: str
    payload: type[P]
    version: int = 1

    @property
    def name(self) -> str:
        return f"{PREFIX}.{self.context}.{self.event}.v{self.version}"

    @property
    def stream(self) -> str:
        return stream_name(self.context)

    def __str__(self) -> str:
        return self.name


def stream_name(context: str) -> str:
    return f"INKLINE_{context.upper()}"


LEAD_CREATED = Subject("lead", "created", lead.LeadCreated, version=2)
LEAD_STATUS_CHANGED = Subject("lead", "status_changed", lead.LeadStatusChanged, version=2)
LEAD_QUALIFIED = Subject("lead", "qualified", lead.LeadQualified, version=2)
LEAD_OPTED_OUT = Subject("lead", "opted_out", lead.LeadOptedOut, version=2)
LEAD_OPTED_IN = Subject("lead", "opted_in", lead.LeadOptedIn, version=2)
LEAD_CANCELLED = Subject("lead", "cancelled", lead.LeadCancelled)
LEAD_HANDOVER_REQUESTED = Subject("lead", "handover_requested", lead.HandoverRequested, version=2)
LEAD_IDENTITY_CHANGED = Subject("lead", "identity_changed", lead.ClientIdentityChanged)
LEAD_LANGUAGE_SET = Subject("lead", "language_set", lead.LeadLanguageSet)

CONSULT_MESSAGE_RECEIVED = Subject("consult", "message_received", consult.ClientMessageReceived, version=2)

ARTIST_MESSAGE_RECEIVED = Subject("artist", "message_received", ArtistMessageReceived)
ARTIST_SETTINGS_CHANGED = Subject("artist", "settings_changed", ArtistSettingsChanged)

SLOTS_REQUESTED = Subject("slots", "requested", slots.RequestSlots)
SLOTS_SUGGESTED = Subject("slots", "suggested", slots.SlotsSuggested)

HOLD_REQUESTED = Subject("hold", "requested", hold.PlaceHold)
HOLD_PLACED = Subject("hold", "placed", hold.HoldPlaced)
HOLD_REJECTED = Subject("hold", "rejected", hold.HoldRejected)
HOLD_EXPIRED = Subject("hold", "expired", hold.HoldExpired)
HOLD_RELEASED = Subject("hold", "released", hold.HoldReleased)

DEPOSIT_REQUESTED = Subject("deposit", "requested", deposit.RequestDeposit)
DEPOSIT_LINK_CREATED = Subject("deposit", "link_created", deposit.DepositLinkCreated)
DEPOSIT_PAID = Subject("deposit", "paid", deposit.DepositPaid)
DEPOSIT_EXPIRED = Subject("deposit", "expired", deposit.DepositExpired)
DEPOSIT_FAILED = Subject("deposit", "failed", deposit.DepositFailed)
DEPOSIT_REFUND_REQUESTED = Subject("deposit", "refund_requested", deposit.RequestRefund)
DEPOSIT_REFUNDED = Subject("deposit", "refunded", deposit.DepositRefunded)

BOOKING_CONFIRMED = Subject("booking", "confirmed", booking.BookingConfirmed)
BOOKING_CONFLICT = Subject("booking", "conflict", booking.BookingConflict)
BOOKING_CANCELLED = Subject("booking", "cancelled", booking.BookingCancelled)
BOOKING_MOVE_REQUESTED = Subject("booking", "move_requested", booking.MoveBooking)
BOOKING_MOVED = Subject("booking", "moved", booking.BookingMoved)
BOOKING_MOVE_REJECTED = Subject("booking", "move_rejected", booking.BookingMoveRejected)

CALENDAR_EVENT_CREATED = Subject("calendar", "event_created", booking.CalendarEventCreated)
CALENDAR_EVENT_FAILED = Subject("calendar", "event_failed", booking.CalendarEventFailed)
CALENDAR_SLOT_FREED = Subject("calendar", "slot_freed", booking.SlotFreed)
CALENDAR_TOUR_LEG_PUBLISHED = Subject("calendar", "tour_leg_published", booking.TourLegPublished)

NOTIFY_SEND = Subject("notify", "send", notify.SendMessage, version=2)

MESSAGE_STATUS_RECEIVED = Subject("message", "status_received", notify.MessageStatusReceived, version=2)
MESSAGE_SENT = Subject("message", "sent", notify.MessageSent, version=2)
MESSAGE_DELIVERED = Subject("message", "delivered", notify.MessageDelivered, version=2)
MESSAGE_READ = Subject("message", "read", notify.MessageRead, version=2)
MESSAGE_FAILED = Subject("message", "failed", notify.MessageFailed, version=2)

CAMPAIGN_LAUNCHED = Subject("campaign", "launched", campaign.CampaignLaunched)
CAMPAIGN_METRICS = Subject("campaign", "metrics", campaign.CampaignMetrics)
CAMPAIGN_COMPLETED = Subject("campaign", "completed", campaign.CampaignCompleted)

SYSTEM_ALERT = Subject("system", "alert", system.SystemAlert)

# v1 of the subjects that named a client by phone digits only (events/legacy_v1.py): declared so their
# streams and schemas stay known; nothing publishes them any more.
LEAD_CREATED_V1 = Subject("lead", "created", legacy_v1.LeadCreatedV1)
LEAD_STATUS_CHANGED_V1 = Subject("lead", "status_changed", legacy_v1.LeadStatusChangedV1)
LEAD_QUALIFIED_V1 = Subject("lead", "qualified", legacy_v1.LeadQualifiedV1)
LEAD_OPTED_OUT_V1 = Subject("lead", "opted_out", legacy_v1.LeadOptedOutV1)
LEAD_OPTED_IN_V1 = Subject("lead", "opted_in", legacy_v1.LeadOptedInV1)
LEAD_HANDOVER_REQUESTED_V1 = Subject("lead", "handover_requested", legacy_v1.HandoverRequestedV1)
CONSULT_MESSAGE_RECEIVED_V1 = Subject("consult", "message_received", legacy_v1.ClientMessageReceivedV1)
NOTIFY_SEND_V1 = Subject("notify", "send", legacy_v1.SendMessageV1)
MESSAGE_STATUS_RECEIVED_V1 = Subject("message", "status_received", legacy_v1.MessageStatusReceivedV1)
MESSAGE_SENT_V1 = Subject("message", "sent", legacy_v1.MessageSentV1)
MESSAGE_DELIVERED_V1 = Subject("message", "delivered", legacy_v1.MessageDeliveredV1)
MESSAGE_READ_V1 = Subject("message", "read", legacy_v1.MessageReadV1)
MESSAGE_FAILED_V1 = Subject("message", "failed", legacy_v1.MessageFailedV1)

ALL_SUBJECTS: tuple[Subject[Contract], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Subject)
)

DEAD_LETTER_CONTEXT = "dlq"


def dead_letter_subject(service: str) -> Subject[system.DeadLettered]:
    """Where a service's consumers put messages they gave up on."""
    return Subject(DEAD_LETTER_CONTEXT, service, system.DeadLettered)


def subject_by_name(name: str) -> Subject[Contract]:
    for subject in ALL_SUBJECTS:
        if subject.name == name:
            return subject
    raise KeyError(name)
