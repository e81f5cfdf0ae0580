"""Client free text in events: bounded, so no consumer's column or message limit is ever exceeded.

A client can answer any question with a 4,096-character message. Every event field that carries such
text is declared with one of the types below: a producer cannot publish more, and a consumer that reads
an older, longer message (still in a stream, or from a producer not yet redeployed) shortens it the
same way instead of rejecting it. That tolerance is what makes adding a bound a compatible change: the
schema marks it with `TRUNCATES`, and the compatibility check accepts a new bound only with that mark.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

ELLIPSIS = "…"
TRUNCATES = "x-longer-is-truncated"
"""JSON Schema keyword on a bounded string: longer text is cut to `maxLength`, never rejected."""


def bounded(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start (at a word break when one is near) and "…"."""
    if limit < 1:
        raise ValueError("a bound leaves room for at least the ellipsis")
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    # Ending on a whole word reads better, unless that would throw away more than a fifth of the room.
    space = cut.rfind(" ")
    if space >= len(cut) * 4 // 5:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def _cut_to(limit: int) -> BeforeValidator:
    def cut(value: object) -> object:
        return bounded(value, limit) if isinstance(value, str) else value

    return BeforeValidator(cut)


def _bound(limit: int) -> Any:
    return Field(max_length=limit, json_schema_extra={TRUNCATES: True})


IDEA_MAX_LENGTH = 500
SHORT_TEXT_MAX_LENGTH = 200

LongText = Annotated[str, _cut_to(IDEA_MAX_LENGTH), _bound(IDEA_MAX_LENGTH)]
"""A client's description in their own words (the tattoo idea): at most 500 characters."""
ShortText = Annotated[str, _cut_to(SHORT_TEXT_MAX_LENGTH), _bound(SHORT_TEXT_MAX_LENGTH)]
"""A short answer in the client's words (placement, style, city, a profile name): at most 200 characters."""
