"""Where on the body the tattoo goes ("left inner forearm", "behind my ear")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_text
from inkline_conversation.domain.parsing.vocabulary import find_all, find_best, find_close, fold

HINT = "repair.placement"
# Canonical area → phrases clients use for it (en, es, pt, de, fr, it; written without accents); the
# longest phrase found wins, so "full back" beats "back" and "barriga da perna" (calf) beats "barriga".
AREAS: dict[str, tuple[str, ...]] = {
    "full sleeve": (
        "full sleeve", "sleeve", "arm sleeve", "manga completa", "manga entera", "braco fechado",
        "ganzer arm", "armsleeve", "bras complet", "manica intera", "manica completa", "braccio completo",
    ),
    "half sleeve": (
        "half sleeve", "half-sleeve", "media manga", "meia manga", "halber arm", "halbes sleeve",
        "demi-manche", "demi manche", "mezza manica",
    ),
    "leg sleeve": ("leg sleeve", "pierna completa", "perna fechada", "ganzes bein", "jambe complete", "gamba intera"),
    "full back": (
        "full back", "back piece", "backpiece", "whole back", "entire back", "espalda completa",
        "costas inteiras", "ganzer rucken", "dos complet", "schiena intera",
    ),
    "upper back": (
        "upper back", "shoulder blade", "shoulder blades", "between my shoulders", "omoplato", "omoplatos",
        "omoplata", "omoplatas", "schulterblatt", "omoplate", "scapola",
    ),
    "lower back": (
        "lower back", "zona lumbar", "lumbar", "lombar", "unterer rucken", "bas du dos", "lombare",
        "bassa schiena", "fondoschiena",
    ),
    "back": ("back", "espalda", "costas", "rucken", "dos", "schiena"),
    "spine": ("spine", "columna", "coluna", "espinha", "wirbelsaule", "colonne", "colonna"),
    "chest piece": ("chest piece", "chestpiece", "full chest", "pecho completo", "peito inteiro"),
    "chest": ("chest", "pec", "pecs", "pecho", "peito", "brust", "poitrine", "torse", "petto"),
    "sternum": ("sternum", "underboob", "under boob", "esternon", "esterno", "brustbein", "sterno"),
    "stomach": (
        "stomach", "belly", "tummy", "abdomen", "abs", "barriga", "vientre", "estomago", "bauch", "ventre",
        "pancia", "addome",
    ),
    "ribs": ("ribs", "rib", "ribcage", "rib cage", "costillas", "costelas", "rippen", "cotes", "costole"),
    "hip": ("hip", "hips", "cadera", "quadril", "hufte", "hanche", "fianco", "anca"),
    "buttock": (
        "buttock", "buttocks", "bum", "bum cheek", "butt", "butt cheek", "glute", "nalga", "gluteo", "bunda",
        "pobacke", "gesass", "fesse", "natica",
    ),
    "thigh": ("thigh", "thighs", "muslo", "coxa", "oberschenkel", "cuisse", "coscia"),
    "knee": ("knee", "rodilla", "joelho", "knie", "genou", "ginocchio"),
    "calf": (
        "calf", "calves", "pantorrilla", "gemelo", "panturrilha", "barriga da perna", "wade", "mollet",
        "polpaccio",
    ),
    "shin": ("shin", "espinilla", "canela", "schienbein", "tibia", "stinco"),
    "ankle": ("ankle", "tobillo", "tornozelo", "knochel", "cheville", "caviglia"),
    "foot": ("foot", "feet", "pie", "pe", "fuss", "pied", "piede"),
    "forearm": (
        "forearm", "fore arm", "inner forearm", "outer forearm", "inner arm", "antebrazo", "antebraco",
        "unterarm", "avant-bras", "avant bras", "avambraccio",
    ),
    "upper arm": (
        "upper arm", "bicep", "biceps", "tricep", "triceps", "brazo superior", "oberarm", "haut du bras",
        "bicipite",
    ),
    "elbow": ("elbow", "ditch", "codo", "cotovelo", "ellenbogen", "coude", "gomito"),
    "shoulder": ("shoulder", "hombro", "ombro", "schulter", "epaule", "spalla"),
    "wrist": ("wrist", "muneca", "pulso", "handgelenk", "poignet", "polso"),
    "hand": ("hand", "palm", "knuckles", "mano", "mao", "main"),
    "finger": ("finger", "fingers", "thumb", "dedo", "dedos", "doigt", "doigts", "dito", "dita"),
    "neck": ("neck", "throat", "nape", "cuello", "nuca", "pescoco", "nacken", "hals", "cou", "nuque", "collo"),
    "behind the ear": (
        "behind the ear", "behind my ear", "behind ear", "detras de la oreja", "atras da orelha",
        "hinter dem ohr", "hinterm ohr", "derriere l'oreille", "dietro l'orecchio", "dietro all'orecchio",
    ),
    "collarbone": ("collarbone", "collar bone", "clavicle", "clavicula", "schlusselbein", "clavicule", "clavicola"),
    "arm": ("arm", "brazo", "braco", "bras", "braccio"),
    "leg": ("leg", "pierna", "perna", "bein", "jambe", "gamba"),
}  # fmt: skip
_BACK_OF = re.compile(r"(?<![a-z])back of (?:my |the |your )?[a-z]")
SIDES: dict[str, tuple[str, ...]] = {
    "left": ("left", "izquierdo", "izquierda", "izq", "esquerdo", "esquerda", "links", "linken", "linker",
             "linke", "gauche", "sinistro", "sinistra", "sx"),
    "right": ("right", "derecho", "derecha", "direito", "direita", "rechts", "rechten", "rechter", "rechte",
              "droit", "droite", "destro", "destra", "dx"),
}  # fmt: skip
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


def find_placement(text: str) -> Placement | None:
    """A recognised body area anywhere in the text, for picking it out of a longer message."""
    found = find_all(text, AREAS)
    if len(found) > 1 and _BACK_OF.search(fold(text)):
        # "the back of my neck" is the neck: "back" there says which side of it.
        found = [term for term in found if term.name != "back"]
    if not found:
        return None
    best = min(found, key=lambda term: (-term.length, term.start))
    return _placement(best.name, text)


def _placement(area: str, text: str) -> Placement:
    side = find_best(text, SIDES)
    return Placement(area=area, side=side.name if side else None, description=text.strip())


def parse_placement(text: str) -> Placement | ParseFailure:
    """A body area; short unrecognised answers are kept as free text, vague ones fail."""
    found = find_placement(text)
    if found is not None:
        return found
    # Only when answering the question: a typo is forgiven ("forarm", "antebraso", "right calve").
    close = find_close(text, AREAS)
    if close is not None:
        return _placement(close, text)
    core = core_text(text)
    if (
        not core
        or _VAGUE.search(core)
        or _HESITATION.fullmatch(core)
        or len(core.split()) > _MAX_FREEFORM_WORDS
    ):
        return ParseFailure(reason="vague" if core else "empty", hint_key=HINT)
    return Placement(area=None, side=None, description=text.strip())
