"""Setting aside a webhook item that cannot be handled: stored once with its reason, logged and counted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import structlog
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from inkline_conversation import SERVICE
from inkline_conversation.db.models import QuarantinedWebhookItem
from inkline_conversation.db.pg_text import storable
from inkline_platform.metrics import WEBHOOK_QUARANTINED
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)
# A body that is not even JSON is kept in part: enough to see what it was.
MAX_KEPT_TEXT = 64 * 1024
WAMID_MAX_LENGTH = 200


class ItemKind(StrEnum):
    PAYLOAD = "payload"
    MESSAGE = "message"
    STATUS = "status"


class Reason(StrEnum):
    """Why an item was set aside; few and fixed, so they can label a metric."""

    NOT_JSON = "not_json"
    MALFORMED_PAYLOAD = "malformed_payload"
    INVALID_MESSAGE = "invalid_message"
    INVALID_STATUS = "invalid_status"
    UNSTORABLE_TEXT = "unstorable_text"
    NOT_STORED = "not_stored"


@dataclass(frozen=True)
class SetAside:
    """An item that cannot be handled: what it was, why, and the JSON as it came (or the body's text)."""

    item: ItemKind
    reason: Reason
    detail: str
    raw: Any
    wamid: str | None = None


async def quarantine(work: UnitOfWork, aside: SetAside) -> None:
    """Keep the item with its reason; Meta delivering the same item again only bumps `times_seen`."""
    raw = storable(aside.raw[:MAX_KEPT_TEXT] if isinstance(aside.raw, str) else aside.raw)
    canonical = json.dumps([aside.item.value, raw], sort_keys=True, ensure_ascii=False)
    fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
    wamid = storable(aside.wamid[:WAMID_MAX_LENGTH]) if aside.wamid is not None else None
    statement = insert(QuarantinedWebhookItem).values(
        fingerprint=fingerprint,
        item=aside.item.value,
        reason=aside.reason.value,
        detail=storable(aside.detail),
        wamid=wamid,
        raw=raw,
    )
    await work.session.execute(
        statement.on_conflict_do_update(
            index_elements=[QuarantinedWebhookItem.fingerprint],
            set_={
                "last_seen_at": func.now(),
                "times_seen": QuarantinedWebhookItem.times_seen + 1,
            },
        )
    )
    # Phone numbers and the client's words stay in the table; the log says only what and why. Both the log
    # and the metric wait for the commit: a batch stored a second time (api/whatsapp_webhook.py) counts once.
    work.after_commit(
        lambda: log.warning(
            "whatsapp_item_quarantined",
            item=aside.item.value,
            reason=aside.reason.value,
            detail=storable(aside.detail),
            wamid=wamid,
            fingerprint=fingerprint[:12],
        )
    )
    work.after_commit(lambda: WEBHOOK_QUARANTINED.labels(SERVICE, aside.reason.value).inc())
