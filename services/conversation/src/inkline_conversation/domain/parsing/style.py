"""Tattoo style answers ("fine line", "blackwork", "neo trad"), an optional question."""

from __future__ import annotations

from dataclasses import dataclass

from inkline_conversation.domain.parsing.text import core_text, is_skip, normalise, phrase_pattern

# Canonical style → phrases clients use for it.
STYLES: dict[str, tuple[str, ...]] = {
    "fine line": ("fine line", "fineline", "single needle", "fine-line"),
    "blackwork": ("blackwork", "black work", "blackout"),
    "traditional": ("traditional", "old school", "american traditional", "trad"),
    "neo-traditional": ("neo traditional", "neotraditional", "neo trad", "neo-trad"),
    "realism": ("realism", "realistic", "photorealism", "photo realism", "hyperrealism", "hyper realism"),
    "micro realism": ("micro realism", "microrealism"),
    "portrait": ("portrait", "portraits"),
    "black and grey": ("black and grey", "black and gray", "black & grey", "b&g", "black n grey"),
    "colour": ("colour", "color", "coloured", "colored", "full colour", "full color"),
    "watercolour": ("watercolour", "watercolor"),
    "dotwork": ("dotwork", "dot work", "stippling", "stipple"),
    "geometric": ("geometric", "geometry", "sacred geometry"),
    "japanese": ("japanese", "irezumi"),
    "illustrative": ("illustrative", "illustration", "sketchy", "sketch"),
    "script": ("script", "lettering", "calligraphy"),
    "minimalist": ("minimalist", "minimal", "simple"),
    "tribal": ("tribal", "polynesian", "maori"),
    "ornamental": ("ornamental", "mandala", "filigree"),
    "surrealism": ("surrealism", "surreal"),
    "new school": ("new school",),
    "trash polka": ("trash polka",),
    "anime": ("anime", "manga"),
}
_UNDECIDED = frozenset(
    {
        "not sure",
        "unsure",
        "idk",
        "dunno",
        "don't know",
        "no idea",
        "up to you",
        "you decide",
        "whatever you think",
        "your style",
        "your call",
        "open to suggestions",
        "whatever",
    }
)


@dataclass(frozen=True, slots=True)
class Style:
    """Recognised style names plus the client's own words."""

    styles: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class StyleSkipped:
    """The client left the style to the artist."""


def find_styles(text: str) -> tuple[str, ...]:
    """Canonical style names mentioned anywhere in the text, in vocabulary order."""
    cleaned = normalise(text)
    found = [
        name for name, phrases in STYLES.items() if any(phrase_pattern(p).search(cleaned) for p in phrases)
    ]
    if "micro realism" in found and "realism" in found:
        found.remove("realism")
    if "neo-traditional" in found and "traditional" in found:
        found.remove("traditional")
    return tuple(found)


def parse_style(text: str) -> Style | StyleSkipped:
    """Any answer is accepted: skip words and "up to you" leave it to the artist."""
    core = core_text(text)
    if not core or is_skip(text) or core in _UNDECIDED:
        return StyleSkipped()
    return Style(styles=find_styles(text), description=text.strip())
