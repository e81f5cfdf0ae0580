"""Which campaign message, if any, earned a reply, an opt-out or a conversion.

Last touch: the most recent campaign message handed off to the contact at or before the event, and no
longer ago than the attribution window. Outside the window nothing is attributed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class Touch(Generic[K]):
    key: K
    at: datetime


def attributed_touch(
    touches: Iterable[Touch[K]], *, event_at: datetime, window: timedelta
) -> Touch[K] | None:
    eligible = [touch for touch in touches if event_at - window <= touch.at <= event_at]
    return max(eligible, key=lambda touch: touch.at, default=None)
