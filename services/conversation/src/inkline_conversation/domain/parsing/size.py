"""Tattoo size answers ("10x15cm", "4 inches", "about 8cm") in centimetres."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import normalise

CM_PER_INCH = 2.54
# Past this nobody is describing a single tattoo; it is almost always a typo or a different unit.
MAX_PLAUSIBLE_CM = 200.0
HINT = "repair.size"

_NUMBER = r"(\d+(?:[.,]\d+)?|\d*\.\d+)"
_FRACTION_WORDS = {"half": 0.5, "quarter": 0.25}
_UNIT = (
    r"(centimet(?:er|re)s?|cms?|millimet(?:er|re)s?|mm|inch(?:es)?|ins?(?=\s*(?:$|[,.!?)]|tall|wide|long|high|across|x(?![a-z])|by(?![a-z])))"
    r"|\"|''|”)"
)
_PAIR = re.compile(
    rf"{_NUMBER}\s*{_UNIT}?\s*(?:x|\u00d7|\*|by)\s*{_NUMBER}\s*{_UNIT}?(?![a-z])",
)
_SINGLE = re.compile(rf"{_NUMBER}\s*{_UNIT}(?![a-z])")
_VAGUE_WORDS = re.compile(
    r"(?<![a-z])(palm|hand|fist|coin|credit card|phone|small|smallish|tiny|medium|big|large|huge|"
    r"not sure|unsure|no idea|idk|dunno|don't know|whatever)(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class Size:
    """A size in centimetres; width is None when the client gave only one dimension."""

    length_cm: float
    width_cm: float | None = None
    approximate: bool = False

    @property
    def area_cm2(self) -> float:
        """Bounding-box area; a single dimension is treated as a square of that side."""
        width = self.width_cm if self.width_cm is not None else self.length_cm
        return self.length_cm * width


def _to_float(raw: str) -> float:
    return float(raw.replace(",", "."))


def _to_cm(value: float, unit: str | None) -> float:
    if unit is None or unit.startswith(("c",)):
        return value
    if unit.startswith("m"):
        return value / 10
    return value * CM_PER_INCH


def _normalise_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    unit = unit.strip()
    if unit in {'"', "''", "”"}:
        return "in"
    return unit


def _round(value: float) -> float:
    return round(value, 1)


def parse_size(text: str) -> Size | ParseFailure:
    """Find a size with units anywhere in the reply; vague or unit-less answers fail with a hint."""
    cleaned = normalise(text)
    approximate = re.search(r"(?<![a-z])(about|around|roughly|approx\w*|ish|~|maybe)(?![a-z])", cleaned)
    pair = _PAIR.search(cleaned)
    if pair is not None:
        first_unit = _normalise_unit(pair.group(2))
        second_unit = _normalise_unit(pair.group(4))
        if first_unit is not None or second_unit is not None:
            unit = second_unit or first_unit
            first = _to_cm(_to_float(pair.group(1)), first_unit or unit)
            second = _to_cm(_to_float(pair.group(3)), second_unit or unit)
            return _checked(
                Size(
                    length_cm=_round(max(first, second)),
                    width_cm=_round(min(first, second)),
                    approximate=approximate is not None,
                )
            )
        return ParseFailure(reason="no_unit", hint_key=HINT)
    single = _SINGLE.search(cleaned)
    if single is not None:
        value = _to_cm(_to_float(single.group(1)), _normalise_unit(single.group(2)))
        return _checked(Size(length_cm=_round(value), approximate=approximate is not None))
    fraction = re.search(r"(?<![a-z])(half|quarter) (?:an? )?(inch|cm)", cleaned)
    if fraction is not None:
        value = _FRACTION_WORDS[fraction.group(1)]
        return _checked(Size(length_cm=_round(_to_cm(value, fraction.group(2))), approximate=True))
    if re.search(r"\d", cleaned):
        return ParseFailure(reason="no_unit", hint_key=HINT)
    if _VAGUE_WORDS.search(cleaned):
        return ParseFailure(reason="vague", hint_key=HINT)
    return ParseFailure(reason="no_number", hint_key=HINT)


def _checked(size: Size) -> Size | ParseFailure:
    if size.length_cm <= 0 or size.length_cm > MAX_PLAUSIBLE_CM:
        return ParseFailure(reason="implausible", hint_key=HINT)
    return size
