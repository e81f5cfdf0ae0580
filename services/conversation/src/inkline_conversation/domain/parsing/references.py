"""Reference pictures: photos sent as media, links, a note, or a skip."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_text, is_skip

HINT = "repair.references"
_LINK = re.compile(r"https?://\S+|(?<![\w@])(?:www\.)?(?:pinterest|pin|instagram|tiktok|imgur)\.[a-z.]+/\S*")
# "Yes" alone promises pictures that have not arrived yet.
_PROMISES = frozenset(
    {"yes", "yeah", "yep", "yup", "sure", "i do", "yes i do", "i have", "yes i have", "ya", "y"}
)
_LATER = re.compile(r"(?<![a-z])(later|tomorrow|another time|not yet|not right now)(?![a-z])")


@dataclass(frozen=True, slots=True)
class References:
    """Reference material gathered so far: media ids, links and any note about them."""

    media_ids: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReferencesSkipped:
    """The client has no references to share."""


def parse_references(text: str) -> References | ReferencesSkipped | ParseFailure:
    """Links or a description count as references; "yes" without pictures asks for them."""
    core = core_text(text)
    if is_skip(text) or _LATER.search(core):
        return ReferencesSkipped()
    links = tuple(match.group(0).rstrip(".,!)") for match in _LINK.finditer(text))
    if links:
        return References(links=links, note=text.strip())
    if not core or core in _PROMISES:
        return ParseFailure(reason="no_media", hint_key=HINT)
    return References(note=text.strip())
