"""Meta's `messages` webhook payloads, one module per kind: inbound customer messages and status updates.

Shapes follow Meta's webhook reference (text, interactive, image, document, unsupported, status).
"""

from inkline_sandbox.graph.payloads.envelope import DEFAULT_BUSINESS, BusinessNumber, Customer, envelope
from inkline_sandbox.graph.payloads.media import (
    document_message,
    image_message,
    sticker_message,
    voice_message,
)
from inkline_sandbox.graph.payloads.replies import (
    button_reply_message,
    list_reply_message,
    quick_reply_message,
    text_message,
)
from inkline_sandbox.graph.payloads.shares import contacts_message, location_message, reaction_message
from inkline_sandbox.graph.payloads.statuses import status_update
from inkline_sandbox.graph.payloads.system import unsupported_message, welcome_request_message

__all__ = [
    "DEFAULT_BUSINESS",
    "BusinessNumber",
    "Customer",
    "button_reply_message",
    "contacts_message",
    "document_message",
    "envelope",
    "image_message",
    "list_reply_message",
    "location_message",
    "quick_reply_message",
    "reaction_message",
    "status_update",
    "sticker_message",
    "text_message",
    "unsupported_message",
    "voice_message",
    "welcome_request_message",
]
