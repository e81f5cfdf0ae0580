"""What every calendar handler is built with besides its unit of work (app.py makes one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inkline_calendar.domain.holds import HoldPolicy
from inkline_platform.clock import Clock


@dataclass(frozen=True)
class CalendarRules:
    """What every handler needs besides the unit of work."""

    clock: Clock
    hold_policy: HoldPolicy
    seed_file: Path
