"""The corpus: every case with its field, what the client wrote, what a person reads from it, its language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

# The shared corpus (both files), then cases of the same kinds written by us in other words.
CORPUS_FILES = ("cases.json", "multilingual.json", "own.json")
# Notes open with the writer's locale when it is not English: "es-MX: palm-sized", "it", "pt-PT: …".
_LOCALE_NOTE = re.compile(r"^(?P<lang>[a-z]{2})(?:-[A-Z]{2})?(?::|$)")


@dataclass(frozen=True, slots=True)
class Context:
    """What every case assumes: the artist's currency and clock, and the three offered slots."""

    currency: str
    tz: ZoneInfo
    now: datetime
    horizon_days: int
    offered_slots: dict[int, str]


@dataclass(frozen=True, slots=True)
class Case:
    """One client answer (or a short script of them) and the readings a person would accept."""

    source: str
    field: str
    text: str
    expected: Any
    note: str
    language: str

    @property
    def label(self) -> str:
        """A short id for reports and test names."""
        return f"{self.field}: {self.text[:60]}"


@cache
def context() -> Context:
    """The context the corpus was written for (the same in every file)."""
    raw = _load(CORPUS_FILES[0])["context"]
    tz = ZoneInfo(raw["artist_timezone"])
    return Context(
        currency=raw["artist_currency"],
        tz=tz,
        now=datetime.fromisoformat(raw["now"]).astimezone(tz),
        horizon_days=raw["window_horizon_days"],
        offered_slots={
            int(position): label for position, label in raw["offered_slots_for_slot_cases"].items()
        },
    )


@cache
def load_cases() -> tuple[Case, ...]:
    """Every case of every corpus file, in file order."""
    cases: list[Case] = []
    for name in CORPUS_FILES:
        for raw in _load(name)["cases"]:
            note = raw.get("note", "")
            match = _LOCALE_NOTE.match(note)
            cases.append(
                Case(
                    source=name,
                    field=raw["field"],
                    text=raw.get("input", ""),
                    expected=raw["expected"],
                    note=note,
                    language=match["lang"] if match else "en",
                )
            )
    return tuple(cases)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("inkline_understanding").joinpath("corpus", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
