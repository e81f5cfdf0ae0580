"""The Stripe fake's event log: every event it emitted, the exact bytes delivered, and where they go.

Events are what webhook endpoints receive and what `GET /v1/events/{id}` answers; a background
`Deliverer` posts them, and each attempt is recorded here for tests to inspect.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inkline_sandbox.stripe import objects
from inkline_sandbox.stripe.delivery import Deliverer, DeliveryAttempt, WebhookEndpoint
from inkline_sandbox.stripe.errors import resource_missing


@dataclass(frozen=True)
class RequestContext:
    """What Stripe copies into an event's `request` field and `api_version`."""

    request_id: str | None = None
    idempotency_key: str | None = None
    api_version: str | None = None


class EventLog:
    """Thread-safe on its own: the state emits under its lock, the deliverer thread records attempts."""

    def __init__(self, *, retry_delays: Sequence[float]) -> None:
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._payloads: dict[str, bytes] = {}
        self._endpoints: list[WebhookEndpoint] = []
        self._deliveries: list[DeliveryAttempt] = []
        self._deliverer = Deliverer(retry_delays=retry_delays, record=self._record_delivery)

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        with self._lock:
            self._endpoints.append(endpoint)

    def emit(
        self,
        event_type: str,
        data_object: dict[str, Any],
        *,
        created: int,
        api_version: str,
        ctx: RequestContext,
        previous_attributes: dict[str, Any] | None,
        deliver: bool,
    ) -> dict[str, Any]:
        """Record an event and queue it for every endpoint that wants it (none when `deliver` is off)."""
        with self._lock:
            endpoints = [e for e in self._endpoints if e.wants(event_type)] if deliver else []
            event = objects.event(
                event_id=objects.new_id("evt_"),
                event_type=event_type,
                created=created,
                api_version=api_version,
                data_object=copy.deepcopy(data_object),
                previous_attributes=previous_attributes,
                request_id=ctx.request_id,
                idempotency_key=ctx.idempotency_key,
                pending_webhooks=len(endpoints),
            )
            # Stripe posts pretty-printed JSON; receivers must verify the raw bytes, not a re-encoding.
            payload = json.dumps(event, indent=2).encode()
            self._events.append(event)
            self._payloads[event["id"]] = payload
        for endpoint in endpoints:
            self._deliverer.enqueue(event["id"], event_type, payload, endpoint)
        return copy.deepcopy(event)

    def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy([e for e in self._events if event_type is None or e["type"] == event_type])

    def find(self, event_id: str) -> dict[str, Any]:
        with self._lock:
            for event in self._events:
                if event["id"] == event_id:
                    return copy.deepcopy(event)
        raise resource_missing("event", event_id, "id")

    def payload(self, event_id: str) -> bytes:
        with self._lock:
            return self._payloads[event_id]

    def deliveries(self) -> list[DeliveryAttempt]:
        with self._lock:
            return list(self._deliveries)

    def wait_idle(self, timeout: float) -> bool:
        return self._deliverer.wait_idle(timeout)

    def close(self) -> None:
        self._deliverer.close()

    def _record_delivery(self, attempt: DeliveryAttempt) -> None:
        with self._lock:
            self._deliveries.append(attempt)
