"""Inbound shares that are not text or media: reactions, locations and contact cards."""

from __future__ import annotations

from typing import Any

from inkline_sandbox.graph.payloads.envelope import (
    DEFAULT_BUSINESS,
    BusinessNumber,
    Customer,
    inbound_message,
)


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
    return inbound_message(
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
    return inbound_message(
        customer,
        "location",
        {"location": location},
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
    return inbound_message(
        customer,
        "contacts",
        {"contacts": [card]},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )
