"""Helpers for the studio's tests: a settable clock, the CSRF token of a rendered form, another service's event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats

from inkline_contracts.base import Contract
from inkline_contracts.envelope import new_envelope
from inkline_contracts.subjects import Subject
from inkline_studio.api.session import CSRF_FIELD

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
_CSRF_INPUT = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')


@dataclass
class Clock:
    now: datetime = field(default=NOON)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token the page's forms carry."""
    found = _CSRF_INPUT.search(page.text)
    assert found, f"no CSRF field on the page: {page.text[:500]}"
    return found.group(1)


async def publish_event(
    nats_url: str, subject: Subject[Any], payload: Contract, *, correlation_id: str
) -> None:
    """What another service's outbox relay does (here: the notifier's reports on a campaign's messages)."""
    envelope = new_envelope(subject, payload, correlation_id=correlation_id)
    client = await nats.connect(nats_url)
    try:
        await client.jetstream().publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )
    finally:
        await client.close()
