"""Why a chat came to the artist, in the words the artist reads (never the code's names for it)."""

from __future__ import annotations

from inkline_conversation.domain.copy import Copy, UnknownCopyKeyError


def _words(copy: Copy, key: str, code: str) -> str:
    try:
        return copy.render(key)
    except UnknownCopyKeyError:
        # A reason added in code before its words: still readable, never an underscore.
        return code.replace("_", " ")


def handover_reason(reason: str, field: str | None, copy: Copy | None = None) -> str:
    """E.g. "couldn't read their answer twice: the dates", in `copy`'s language (English by default)."""
    texts = copy or Copy.for_language("en")
    said = _words(texts, f"artist_reason.{reason}", reason)
    if field and reason == "two_strikes":
        return f"{said}: {_words(texts, f'artist_field.{field}', field)}"
    return said
