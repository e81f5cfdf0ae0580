"""Webhook side of the Graph fake: payload builders, the `X-Hub-Signature-256` scheme, status delivery.

The builders live in `payloads` and are re-exported here so callers have one import for everything webhook.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from inkline_sandbox.graph.payloads import (
    DEFAULT_BUSINESS,
    BusinessNumber,
    Customer,
    button_reply_message,
    contacts_message,
    document_message,
    envelope,
    image_message,
    list_reply_message,
    location_message,
    quick_reply_message,
    reaction_message,
    status_update,
    sticker_message,
    text_message,
    unsupported_message,
    voice_message,
    welcome_request_message,
)
from inkline_sandbox.graph.records import SentMessage
from inkline_sandbox.graph.state import GraphState

__all__ = [
    "DEFAULT_BUSINESS",
    "BusinessNumber",
    "Customer",
    "StatusDelivery",
    "button_reply_message",
    "contacts_message",
    "deliver_statuses",
    "document_message",
    "encode",
    "envelope",
    "image_message",
    "list_reply_message",
    "location_message",
    "post_webhook",
    "quick_reply_message",
    "reaction_message",
    "sign_payload",
    "status_update",
    "sticker_message",
    "text_message",
    "unsupported_message",
    "voice_message",
    "welcome_request_message",
]


def encode(payload: dict[str, Any]) -> bytes:
    """Meta posts ASCII-escaped JSON; signatures cover these exact bytes, never a re-serialisation."""
    return json.dumps(payload, separators=(",", ":")).encode()


def sign_payload(body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` header value: ``sha256=<hex HMAC-SHA256 of the raw body, app secret>``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


async def post_webhook(
    url: str, payload: dict[str, Any], *, app_secret: str, client: httpx.AsyncClient | None = None
) -> httpx.Response:
    body = encode(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "facebookexternalua",
        "X-Hub-Signature-256": sign_payload(body, app_secret),
        "X-Hub-Signature": "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest(),
    }
    if client is not None:
        return await client.post(url, content=body, headers=headers)
    async with httpx.AsyncClient(timeout=10.0) as own:
        return await own.post(url, content=body, headers=headers)


@dataclass(frozen=True)
class StatusDelivery:
    wamid: str
    status: str
    http_status: int


async def deliver_statuses(
    state: GraphState,
    webhook_url: str,
    *,
    app_secret: str,
    statuses: Sequence[str] = ("sent", "delivered", "read"),
    wamids: Collection[str] | None = None,
    client: httpx.AsyncClient | None = None,
) -> list[StatusDelivery]:
    """POST signed status callbacks for recorded messages, each status at most once per message.

    Messages scripted to fail via webhook get a single `failed` status with their error instead. A
    non-2xx answer stops that message's sequence (the next call retries it), keeping statuses in order.
    """
    done: list[StatusDelivery] = []
    for sent in state.messages():
        if wamids is not None and sent.wamid not in wamids:
            continue
        business = BusinessNumber(sent.phone_number_id, state.display_phone_number, state.waba_id)
        for status in _sequence(sent, statuses):
            if status in state.delivered_statuses(sent.wamid):
                continue
            payload = status_update(
                sent.wamid,
                status,
                recipient_id=sent.wa_id,
                business=business,
                timestamp=int(state.clock()),
                error_code=sent.fails_with,
                billable_category="utility" if sent.type == "template" else "service",
                callback_data=sent.callback_data,
            )
            response = await post_webhook(webhook_url, payload, app_secret=app_secret, client=client)
            done.append(StatusDelivery(sent.wamid, status, response.status_code))
            if not response.is_success:
                break
            state.record_status_delivered(sent.wamid, status)
    return done


def _sequence(sent: SentMessage, statuses: Sequence[str]) -> Sequence[str]:
    return ("failed",) if sent.fails_with is not None else statuses
