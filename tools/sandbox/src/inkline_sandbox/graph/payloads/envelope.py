"""The envelope every `messages` webhook shares, and the inbound message inside it.

Shapes follow Meta's webhook reference:
``{"object": "whatsapp_business_account", "entry": [{"id": <WABA>, "changes": [{"field": "messages",
"value": {"messaging_product": "whatsapp", "metadata": {...}, "contacts"|"messages"|"statuses": ...}}]}]}``
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from inkline_sandbox.graph.records import new_wamid
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


def inbound_message(
    customer: Customer,
    kind: str,
    content: dict[str, Any],
    *,
    business: BusinessNumber,
    message_id: str | None,
    timestamp: int | None,
    reply_to: str | None,
) -> dict[str, Any]:
    """One customer message of type `kind` (`content` holds its type-specific fields), in its envelope."""
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
