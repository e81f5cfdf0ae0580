"""Inbound notes WhatsApp writes itself: an unsupported message type, a first-contact welcome request."""

from __future__ import annotations

from typing import Any

from inkline_sandbox.graph.payloads.envelope import (
    DEFAULT_BUSINESS,
    BusinessNumber,
    Customer,
    inbound_message,
)


def unsupported_message(
    customer: Customer,
    *,
    unsupported_type: str = "edit",
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """What Meta sends for a sticker-pack, poll, edit, etc.: no content, a 131051 error instead."""
    error = {
        "code": 131051,
        "title": "Message type unknown",
        "message": "Message type unknown",
        "error_data": {"details": "Message type is currently not supported."},
    }
    content = {"errors": [error], "unsupported": {"type": unsupported_type}}
    return inbound_message(
        customer,
        "unsupported",
        content,
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def welcome_request_message(
    customer: Customer,
    *,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """WhatsApp's note that the client opened a chat with the business for the first time."""
    return inbound_message(
        customer,
        "request_welcome",
        {},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )
