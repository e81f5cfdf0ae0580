"""Helpers for the studio's tests and benchmarks: a settable clock and the CSRF token of a rendered form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

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
