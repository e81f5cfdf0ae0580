"""Where on the body the tattoo goes ("left inner forearm", "behind my ear")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_text, normalise, phrase_pattern

HINT = "repair.placement"
# Canonical area → phrases clients use for it; longer phrases are tried first so "full back" beats "back".
AREAS: dict[str, tuple[str, ...]] = {
    "full sleeve": ("full sleeve", "sleeve", "arm sleeve"),
    "half sleeve": ("half sleeve", "half-sleeve"),
    "leg sleeve": ("leg sleeve",),
    "full back": ("full back", "back piece", "backpiece", "whole back", "entire back"),
    "upper back": ("upper back", "shoulder blade", "shoulder blades", "between my shoulders"),
    "lower back": ("lower back",),
    "back": ("back",),
    "spine": ("spine",),
    "chest piece": ("chest piece", "chestpiece", "full chest"),
    "chest": ("chest", "pec", "pecs"),
    "sternum": ("sternum", "underboob", "under boob"),
    "stomach": ("stomach", "belly", "tummy", "abdomen", "abs"),
    "ribs": ("ribs", "rib", "ribcage", "rib cage"),
    "hip": ("hip", "hips"),
    "thigh": ("thigh", "thighs"),
    "knee": ("knee",),
    "calf": ("calf", "calves"),
    "shin": ("shin",),
    "ankle": ("ankle",),
    "foot": ("foot", "feet"),
    "forearm": ("forearm", "fore arm", "inner forearm", "outer forearm", "inner arm"),
    "upper arm": ("upper arm", "bicep", "biceps", "tricep", "tricep"),
    "elbow": ("elbow", "ditch"),
    "shoulder": ("shoulder",),
    "wrist": ("wrist",),
    "hand": ("hand", "palm", "knuckles"),
    "finger": ("finger", "fingers", "thumb"),
    "neck": ("neck", "throat", "nape"),
    "behind the ear": ("behind the ear", "behind my ear", "behind ear"),
    "collarbone": ("collarbone", "collar bone", "clavicle"),
    "arm": ("arm",),
    "leg": ("leg",),
}
SIDES = ("left", "right")
# Without a body area, an answer that only hesitates ("hmm not sure yet", "no idea tbh") is no placement:
# it is asked again rather than kept as free text the artist would have to decode.
_VAGUE = re.compile(
    r"(?<![a-z'])(?:not sure|unsure|idk|dunno|don't know|dont know|no idea|anywhere|wherever|you decide|"
    r"up to you|whatever you think|open to suggestions|undecided|not decided|haven't decided|"
    r"havent decided|no clue)(?![a-z'])"
)
# Words that only hesitate when they are the whole answer ("maybe top of my bum" is still a placement).
_HESITATION = re.compile(r"(?:hm+|maybe|perhaps)(?: (?:hm+|maybe|perhaps))*")
_MAX_FREEFORM_WORDS = 6


@dataclass(frozen=True, slots=True)
class Placement:
    """A body area (canonical name, or None if we don't recognise it) and the client's own words."""

    area: str | None
    side: str | None
    description: str


def _find_area(text: str) -> tuple[str, int] | None:
    best: tuple[str, int, int] | None = None
    for area, phrases in AREAS.items():
        for phrase in phrases:
            match = phrase_pattern(phrase).search(text)
            if match is None:
                continue
            length = match.end() - match.start()
            if best is None or length > best[2] or (length == best[2] and match.start() < best[1]):
                best = (area, match.start(), length)
    return None if best is None else (best[0], best[1])


def find_placement(text: str) -> Placement | None:
    """A recognised body area anywhere in the text, for picking it out of a longer message."""
    cleaned = normalise(text)
    found = _find_area(cleaned)
    if found is None:
        return None
    side = next((side for side in SIDES if phrase_pattern(side).search(cleaned)), None)
    return Placement(area=found[0], side=side, description=text.strip())


def parse_placement(text: str) -> Placement | ParseFailure:
    """A body area; short unrecognised answers are kept as free text, vague ones fail."""
    found = find_placement(text)
    if found is not None:
        return found
    core = core_text(text)
    if (
        not core
        or _VAGUE.search(core)
        or _HESITATION.fullmatch(core)
        or len(core.split()) > _MAX_FREEFORM_WORDS
    ):
        return ParseFailure(reason="vague" if core else "empty", hint_key=HINT)
    return Placement(area=None, side=None, description=text.strip())
