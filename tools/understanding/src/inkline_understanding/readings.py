"""What the consultation's parsers read from one answer, each field judged against what a person reads.

A verdict is RIGHT, ASKED_AGAIN (the client is asked once more: slower, never harmful) or WRONG (a
value a person would not read from the answer goes on, silently). The encodings are the corpus's own
(see corpus/README.md and the shared corpus's README).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Any

from inkline_conversation.domain.consultation_state import AnswerValue
from inkline_conversation.domain.field_answers import Skipped
from inkline_conversation.domain.money import minor_exponent
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.instagram import InstagramHandle
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.references import References
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.style import Style
from inkline_understanding.windows_match import windows_match

REPAIR = "REPAIR"
# The smallest long side that is an area of the body rather than one piece ("full back", "half sleeve").
AREA_MIN_CM = 30.0
# Conversions from inches are rounded by people and by parsers alike.
_SIZE_SLACK_CM = 0.06


class Verdict(StrEnum):
    """How an answer was read."""

    RIGHT = "right"
    ASKED_AGAIN = "asked again"
    WRONG = "wrong"


def judge_value(field: str, value: AnswerValue | Skipped | ParseFailure, expected: Any) -> Verdict:
    """Judge one parsed answer against the corpus's expectation (a list means any of them is right)."""
    options = expected if isinstance(expected, list) else [expected]
    verdicts = [_judge_one(field, value, option) for option in options]
    for verdict in (Verdict.RIGHT, Verdict.ASKED_AGAIN):
        if verdict in verdicts:
            return verdict
    return Verdict.WRONG


def _judge_one(field: str, value: AnswerValue | Skipped | ParseFailure, expected: Any) -> Verdict:
    if isinstance(value, ParseFailure):
        return Verdict.RIGHT if expected == REPAIR else Verdict.ASKED_AGAIN
    if expected == REPAIR:
        return Verdict.WRONG
    return Verdict.RIGHT if _matches(field, value, expected) else Verdict.WRONG


def _matches(field: str, value: AnswerValue | Skipped, expected: Any) -> bool:
    if isinstance(value, Skipped):
        return bool(expected == "SKIP")
    if field == "idea":
        return isinstance(value, str) and expected == "ACCEPT"
    if field == "budget":
        return isinstance(value, BudgetRange) and _budget_matches(value, expected)
    if field == "size":
        return isinstance(value, Size) and _size_matches(value, expected)
    if field == "placement":
        return isinstance(value, Placement) and _placement_reading(value) == expected
    if field == "style":
        return isinstance(value, Style) and _style_matches(value, expected)
    if field == "location":
        return isinstance(value, Location) and _location_matches(value, expected)
    if field == "instagram":
        return (
            isinstance(value, InstagramHandle) and f"@{value.handle}".casefold() == str(expected).casefold()
        )
    if field == "references":
        return isinstance(value, References) and _references_reading(value) == expected
    if field == "windows":
        return isinstance(value, tuple) and windows_match(value, expected)
    raise ValueError(f"no reading for field {field!r}")


def budget_reading(value: BudgetRange) -> str:
    """`GBP 400-400`, in major units."""
    factor = 10 ** minor_exponent(value.currency)
    return f"{value.currency} {value.min_minor / factor:g}-{value.max_minor / factor:g}"


def _budget_matches(value: BudgetRange, expected: Any) -> bool:
    if expected == "OPEN":
        # No ceiling: a reading that names one would cap what the artist may quote.
        return getattr(value, "open_ended", False) is True
    return bool(budget_reading(value) == expected)


def _size_matches(value: Size, expected: Any) -> bool:
    long_side = max(value.length_cm, value.width_cm or 0.0)
    if expected == "AREA":
        return getattr(value, "area", None) is not None or long_side >= AREA_MIN_CM
    if not isinstance(expected, dict):
        return False
    if not _within(long_side, expected["len"]):
        return False
    if "wid" in expected:
        return value.width_cm is not None and _within(min(value.length_cm, value.width_cm), expected["wid"])
    return True


def _within(measure: float, bounds: list[float]) -> bool:
    low, high = bounds
    return low - _SIZE_SLACK_CM <= measure <= high + _SIZE_SLACK_CM


def _placement_reading(value: Placement) -> str | None:
    if value.area is None:
        return None  # kept as free text: the artist reads the words, but nothing was understood
    return f"{value.area}/{value.side}" if value.side else value.area


def _style_matches(value: Style, expected: Any) -> bool:
    if not isinstance(expected, str) or expected == "SKIP":
        return False
    return set(value.styles) == set(expected.split("+"))


def _location_matches(value: Location, expected: Any) -> bool:
    if not isinstance(expected, str) or "|" not in expected:
        return False
    cities, country = expected.split("|")
    return value.country_code.upper() == country and _fold(value.city) in {
        _fold(c) for c in cities.split("/")
    }


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _references_reading(value: References) -> str:
    if value.links or value.media_ids:
        return "LINKS"
    return "NOTE"


def describe(value: object) -> str:
    """A short human reading of a parse result for reports."""
    if isinstance(value, ParseFailure):
        return f"asked again ({value.reason})"
    if isinstance(value, BudgetRange):
        return budget_reading(value)
    if isinstance(value, tuple) and value and all(hasattr(w, "start") for w in value):
        first: datetime = value[0].start
        last: datetime = value[-1].end
        return f"{len(value)} window(s) {first:%Y-%m-%d}…{last:%Y-%m-%d}"
    return repr(value)[:120]
