"""Outbound-message status updates: sent, delivered, read (with pricing) and failed (with the error)."""

from __future__ import annotations

import time
from typing import Any

from inkline_sandbox.graph.errors import spec_for, webhook_error
from inkline_sandbox.graph.payloads.envelope import DEFAULT_BUSINESS, BusinessNumber, envelope
from inkline_sandbox.graph.validation import is_bsuid


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
