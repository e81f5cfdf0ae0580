"""Tattoo size answers ("10x15cm", "4 inches", "about 8cm") in centimetres."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import normalise, without_accents
from inkline_conversation.domain.parsing.vocabulary import find_best

CM_PER_INCH = 2.54
CM_PER_FOOT = 30.48
# Past this nobody is describing a single tattoo; it is almost always a typo or a different unit.
MAX_PLAUSIBLE_CM = 200.0
HINT = "repair.size"

_NUMBER = r"(\d+(?:[.,]\d+)?|\d*\.\d+)"
_FRACTION_WORDS = {"half": 0.5, "quarter": 0.25}
# Units as written in en, es, pt, de, fr, it (compared without accents): "Zentimeter", "pulgadas", "pouces".
_UNIT = (
    r"(centimet(?:er|re)s?|zentimeter|centimetros?|centimetri|cms?|millimet(?:er|re)s?|millimetri|milimetros?"
    r"|mm|inch(?:es)?|zoll|pulgadas?|polegadas?|pouces?|pollici|feet|foot|ft"
    r"|ins?(?=\s*(?:$|[,.!?)]|tall|wide|long|high|across|x(?![a-z])|by(?![a-z])))"
    r"|\"|''|”)"
)
# Sizes people name instead of measuring, as (long side, short side) in cm, approximate. A body area
# named as the size ("half sleeve") is a session size of its own; the artist quotes it from the name.
NAMED_SIZES: dict[str, tuple[str, ...]] = {
    "palm": ("palm", "palm sized", "palm-sized", "size of my palm", "palma", "palma de mi mano",
             "palma da mao", "handflache", "handteller", "paume", "paume de ma main", "palmo"),
    "credit card": ("credit card", "bank card", "tarjeta de credito", "cartao de credito", "kreditkarte",
                    "carte bancaire", "carte de credit", "carta di credito"),
    "A4": ("a4",),
    "A5": ("a5",),
    "A6": ("a6",),
    "half sleeve": ("half sleeve", "half-sleeve", "media manga", "meia manga", "halber arm", "halbes sleeve",
                    "demi-manche", "demi manche", "mezza manica"),
    "full sleeve": ("full sleeve", "sleeve", "manga completa", "manga entera", "braco fechado", "ganzer arm",
                    "bras complet", "manica intera", "manica completa"),
    "leg sleeve": ("leg sleeve", "pierna completa", "perna fechada", "ganzes bein", "gamba intera"),
    "full back": ("full back", "back piece", "backpiece", "whole back", "espalda completa", "costas inteiras",
                  "ganzer rucken", "dos complet", "schiena intera"),
    "chest piece": ("chest piece", "chestpiece", "full chest", "pecho completo", "peito inteiro"),
}  # fmt: skip
_NAMED_DIMENSIONS: dict[str, tuple[float, float]] = {
    "palm": (10.0, 8.0),
    "credit card": (8.6, 5.4),
    "A4": (29.7, 21.0),
    "A5": (21.0, 14.8),
    "A6": (14.8, 10.5),
    "half sleeve": (30.0, 15.0),
    "full sleeve": (60.0, 15.0),
    "leg sleeve": (80.0, 20.0),
    "full back": (55.0, 40.0),
    "chest piece": (30.0, 40.0),
}
_ONE_FOOT = re.compile(r"(?<![a-z0-9])(?:a|one)\s+(?:foot|ft)(?![a-z])")
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
    named: str | None = None  # "palm", "A5", "half sleeve": what the client said instead of measuring

    @property
    def area_cm2(self) -> float:
        """Bounding-box area; a single dimension is treated as a square of that side."""
        width = self.width_cm if self.width_cm is not None else self.length_cm
        return self.length_cm * width


def _to_float(raw: str) -> float:
    return float(raw.replace(",", "."))


def _to_cm(value: float, unit: str | None) -> float:
    if unit is None or unit.startswith(("c", "zentimeter")):
        return value
    if unit.startswith("m"):
        return value / 10
    if unit.startswith("f"):
        return value * CM_PER_FOOT
    return value * CM_PER_INCH  # inch, zoll, pulgada, polegada, pouce, pollice


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
    cleaned = without_accents(normalise(text))
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
    if _ONE_FOOT.search(cleaned):
        return _checked(Size(length_cm=_round(_to_cm(1, "ft")), approximate=approximate is not None))
    named = find_best(cleaned, NAMED_SIZES)
    if named is not None:
        long_side, short_side = _NAMED_DIMENSIONS[named.name]
        return Size(length_cm=long_side, width_cm=short_side, approximate=True, named=named.name)
    if re.search(r"\d", cleaned):
        return ParseFailure(reason="no_unit", hint_key=HINT)
    if _VAGUE_WORDS.search(cleaned):
        return ParseFailure(reason="vague", hint_key=HINT)
    return ParseFailure(reason="no_number", hint_key=HINT)


def _checked(size: Size) -> Size | ParseFailure:
    if size.length_cm <= 0 or size.length_cm > MAX_PLAUSIBLE_CM:
        return ParseFailure(reason="implausible", hint_key=HINT)
    return size
