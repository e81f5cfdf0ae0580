"""Meta's `messages` webhook payloads: inbound customer messages and outbound-message status updates.

Shapes follow Meta's webhook reference (text, interactive, image, document, unsupported, status):
``{"object": "whatsapp_business_account", "entry": [{"id": <WABA>, "changes": [{"field": "messages",
"value": {"messaging_product": "whatsapp", "metadata": {...}, "contacts"|"messages"|"statuses": ...}}]}]}``
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from inkline_sandbox.graph.errors import spec_for, webhook_error
from inkline_sandbox.graph.state import new_wamid
from inkline_sandbox.graph.validation import is_bsuid


@dataclass(frozen=True)
class BusinessNumber:
    phone_number_id: str = "106540352242922"
    display_phone_number: str = "15550001234"
    waba_id: str = "102290129340398"


@dataclass(frozen=True)
class Customer:
    """A WhatsApp user. One who has adopted a username and hides their phone is played with their
    business-scoped user ID as `wa_id` (e.g. `GB.1349…`) and a `username`: their messages then carry
    `from_user_id` and `contacts[].user_id` with no phone, as Meta sends them."""

    wa_id: str
    name: str = "Sandbox Customer"
    username: str | None = None


DEFAULT_BUSINESS = BusinessNumber()


def envelope(business: BusinessNumber, value: dict[str, Any]) -> dict[str, Any]:
    metadata = {
        "display_phone_number": business.display_phone_number,
        "phone_number_id": business.phone_number_id,
    }
    change = {"value": {"messaging_product": "whatsapp", "metadata": metadata, **value}, "field": "messages"}
    return {"object": "whatsapp_business_account", "entry": [{"id": business.waba_id, "changes": [change]}]}


def _inbound(
    customer: Customer,
    kind: str,
    content: dict[str, Any],
    *,
    business: BusinessNumber,
    message_id: str | None,
    timestamp: int | None,
    reply_to: str | None,
) -> dict[str, Any]:
    message: dict[str, Any] = {}
    if reply_to is not None:
        message["context"] = {"from": business.display_phone_number, "id": reply_to}
    sender = {"from_user_id": customer.wa_id} if is_bsuid(customer.wa_id) else {"from": customer.wa_id}
    message |= {
        **sender,
        "id": message_id or new_wamid(),
        "timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "type": kind,
        **content,
    }
    profile = {"name": customer.name} | ({"username": customer.username} if customer.username else {})
    identifier = "user_id" if is_bsuid(customer.wa_id) else "wa_id"
    contact = {"profile": profile, identifier: customer.wa_id}
    return envelope(business, {"contacts": [contact], "messages": [message]})


def text_message(
    customer: Customer,
    body: str,
    *,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    return _inbound(
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
    return _inbound(
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
    return _inbound(
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
    return _inbound(
        customer,
        "button",
        {"button": {"payload": payload, "text": text}},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def _media_hash(content_or_hash: bytes | str) -> str:
    # Inbound media webhooks carry the SHA-256 base64-encoded (retrieval answers it in hex).
    if isinstance(content_or_hash, bytes):
        return base64.b64encode(hashlib.sha256(content_or_hash).digest()).decode()
    return content_or_hash


def image_message(
    customer: Customer,
    media_id: str,
    *,
    content: bytes | str = b"",
    mime_type: str = "image/jpeg",
    caption: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """`content` is the image bytes (hashed here) or an already-computed hash string."""
    image: dict[str, Any] = {"mime_type": mime_type, "sha256": _media_hash(content), "id": media_id}
    if caption is not None:
        image = {"caption": caption, **image}
    return _inbound(
        customer,
        "image",
        {"image": image},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def document_message(
    customer: Customer,
    media_id: str,
    *,
    filename: str,
    content: bytes | str = b"",
    mime_type: str = "application/pdf",
    caption: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "filename": filename,
        "mime_type": mime_type,
        "sha256": _media_hash(content),
        "id": media_id,
    }
    if caption is not None:
        document = {"caption": caption, **document}
    return _inbound(
        customer,
        "document",
        {"document": document},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
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
    return _inbound(
        customer,
        "unsupported",
        content,
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def status_update(
    wamid: str,
    status: str,
    *,
    recipient_id: str,
    business: BusinessNumber = DEFAULT_BUSINESS,
    timestamp: int | None = None,
    error_code: int | None = None,
    billable_category: str = "service",
    callback_data: str | None = None,
) -> dict[str, Any]:
    """A `statuses[]` webhook: sent/delivered/read carry pricing; failed carries `errors[]` instead.

    `callback_data` is the send's `biz_opaque_callback_data`, which Meta returns untouched in the
    sent/delivered/read callbacks of that message.
    """
    entry: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(timestamp if timestamp is not None else int(time.time())),
        # A send to a BSUID is reported by `recipient_user_id`, without the phone.
        "recipient_user_id" if is_bsuid(recipient_id) else "recipient_id": recipient_id,
    }
    if callback_data is not None and status != "failed":
        entry["biz_opaque_callback_data"] = callback_data
    if status == "failed":
        entry["errors"] = [webhook_error(spec_for(error_code if error_code is not None else 131026))]
    else:
        free = billable_category == "service"
        entry["pricing"] = {
            "billable": not free,
            "pricing_model": "PMP",
            "category": billable_category,
            "type": "free_customer_service" if free else "regular",
        }
    return envelope(business, {"statuses": [entry]})


def reaction_message(
    customer: Customer,
    emoji: str,
    *,
    reacted_to: str,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """An emoji reaction to a message the business sent (`reacted_to` is its wamid); "" removes one."""
    return _inbound(
        customer,
        "reaction",
        {"reaction": {"message_id": reacted_to, "emoji": emoji}},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def location_message(
    customer: Customer,
    *,
    latitude: float,
    longitude: float,
    name: str | None = None,
    address: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A shared location: a bare pin, or a picked place with its name and address."""
    location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        location["name"] = name
    if address is not None:
        location["address"] = address
    return _inbound(
        customer,
        "location",
        {"location": location},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def sticker_message(
    customer: Customer,
    media_id: str,
    *,
    animated: bool = False,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    sticker = {
        "mime_type": "image/webp",
        "sha256": _media_hash(media_id),
        "id": media_id,
        "animated": animated,
    }
    return _inbound(
        customer,
        "sticker",
        {"sticker": sticker},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def contacts_message(
    customer: Customer,
    *,
    name: str,
    phone: str,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A contact card shared from the client's address book."""
    card = {
        "name": {"formatted_name": name, "first_name": name.split(" ", 1)[0]},
        "phones": [{"phone": phone, "type": "CELL"}],
    }
    return _inbound(
        customer,
        "contacts",
        {"contacts": [card]},
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
    return _inbound(
        customer,
        "request_welcome",
        {},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )
