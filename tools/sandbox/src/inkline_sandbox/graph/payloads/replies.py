"""Inbound texts and taps: plain text, reply buttons, list rows, template quick replies."""

from __future__ import annotations

from typing import Any

from inkline_sandbox.graph.payloads.envelope import (
    DEFAULT_BUSINESS,
    BusinessNumber,
    Customer,
    inbound_message,
)


def text_message(
    customer: Customer,
    body: str,
    *,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    return inbound_message(
        customer,
        "text",
        {"text": {"body": body}},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def button_reply_message(
    customer: Customer,
    button_id: str,
    title: str,
    *,
    reply_to: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A tap on a reply button; `reply_to` is the wamid of the message that carried the buttons."""
    interactive = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
    return inbound_message(
        customer,
        "interactive",
        {"interactive": interactive},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def list_reply_message(
    customer: Customer,
    row_id: str,
    title: str,
    *,
    description: str | None = None,
    reply_to: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {"id": row_id, "title": title}
    if description is not None:
        row["description"] = description
    interactive = {"type": "list_reply", "list_reply": row}
    return inbound_message(
        customer,
        "interactive",
        {"interactive": interactive},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def quick_reply_message(
    customer: Customer,
    payload: str,
    text: str,
    *,
    reply_to: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A tap on a template's quick-reply button: Meta sends `type: button` with the send's payload."""
    return inbound_message(
        customer,
        "button",
        {"button": {"payload": payload, "text": text}},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )
