"""The v1 payloads that named a client by phone digits only, kept while v1 subjects may still be in flight.

WhatsApp usernames (2026) let a client write with no phone number, known only by a business-scoped user
ID, so every contract that names a client now takes a `ClientAddress` (phone or BSUID) on a v2 subject.
Widening the accepted values breaks a consumer still validating digits, hence the new versions; these
classes pin the v1 schemas (and their snapshots) to what v1 producers and consumers still speak.
"""

from __future__ import annotations

from inkline_contracts.base import WaId
from inkline_contracts.events import consult, lead, notify


class LeadCreatedV1(lead.LeadCreated):
    wa_id: WaId


class LeadStatusChangedV1(lead.LeadStatusChanged):
    wa_id: WaId


class LeadQualifiedV1(lead.LeadQualified):
    wa_id: WaId


class LeadOptedOutV1(lead.LeadOptedOut):
    wa_id: WaId


class LeadOptedInV1(lead.LeadOptedIn):
    wa_id: WaId


class HandoverRequestedV1(lead.HandoverRequested):
    wa_id: WaId


class ClientMessageReceivedV1(consult.ClientMessageReceived):
    wa_id: WaId


class SendMessageV1(notify.SendMessage):
    to: WaId


class MessageStatusReceivedV1(notify.MessageStatusReceived):
    recipient_wa_id: WaId


class MessageSentV1(notify.MessageSent):
    to: WaId


class MessageDeliveredV1(notify.MessageDelivered):
    to: WaId


class MessageReadV1(notify.MessageRead):
    to: WaId


class MessageFailedV1(notify.MessageFailed):
    to: WaId
