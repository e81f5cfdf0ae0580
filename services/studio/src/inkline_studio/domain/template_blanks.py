"""The blanks of an approved template, and what fills each one: the same words for everyone, or each
client's own name, city or style (campaigns' field parameters, filled per contact when it sends)."""

from __future__ import annotations

import re
from typing import Any

# Form value -> (what the artist reads, the contact field campaigns fills it from, what a missing one reads).
SOURCES: dict[str, tuple[str, str | None, str | None]] = {
    "typed": ("Type it", None, None),
    "profile_name": ("Each client's first name", "profile_name", "there"),
    "city": ("Each client's city", "city", None),
    "style": ("Each client's style", "style", None),
}


class BlankError(ValueError):
    """A blank the artist left empty; the message says which."""


def default_source(meaning: str) -> str:
    """A blank named for a client's own detail is filled from it unless the artist says otherwise."""
    lowered = meaning.lower()
    for source, words in (("profile_name", "name"), ("city", "city"), ("style", "style")):
        if words in lowered:
            return source
    return "typed"


def parameter(*, meaning: str, source: str, typed: str) -> dict[str, Any]:
    """Campaigns' parameter for one blank: `{"value": ...}` or `{"field": ..., "fallback": ...}`."""
    if source not in SOURCES:
        raise BlankError(f"Choose how to fill “{meaning}”.")
    _, field, fallback = SOURCES[source]
    if field is not None:
        return {"field": field, "fallback": fallback}
    if not typed.strip():
        raise BlankError(f"Fill in “{meaning}”.")
    return {"value": typed.strip()}


_BLANK = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def readable_body(body: str, meanings: list[str]) -> str:
    """A template's words with each `{{n}}` shown as what goes there: "Hi [first name], ..."."""

    def meaning(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return f"[{meanings[index]}]" if 0 <= index < len(meanings) else "[…]"

    return _BLANK.sub(meaning, body)
