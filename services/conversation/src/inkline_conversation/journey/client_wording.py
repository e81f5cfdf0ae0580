"""The client's language and own words in the artist's summary, next to what Inkline understood from them
("Budget: £400-£500 ("entre 400 y 500 libras")"), so a misreading is plain to see."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel import Locale, UnknownLocaleError

# Summary word -> the consultation question whose answer Inkline turned into a value of its own.
SAID: dict[str, str] = {
    "said_size": "size",
    "said_budget": "budget",
    "said_city": "location",
    "said_dates": "windows",
}
SAID_CAP = 80


def language_name(language: str | None, *, reader: str = "en") -> str:
    """ "Spanish" for "es", in the reader's language; the code itself when babel does not know it."""
    code = language or "en"
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(reader)
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def client_said(record: Mapping[str, Any], understood: Mapping[str, str]) -> dict[str, str]:
    """The client's words for each summary line whose value differs from them (a "£400-500" read as
    "£400-£500" needs no echo); keyed as in SAID."""
    wording: Mapping[str, str] = record.get("wording") or {}
    said: dict[str, str] = {}
    for key, question in SAID.items():
        text = str(wording.get(question) or "")
        if text and _letters(text) != _letters(understood.get(key, "")):
            said[key] = text
    return said


def echo(words: Mapping[str, str], key: str) -> str:
    """' ("their words")' after a summary value, when the client's words are shown for it."""
    return f' ("{words[key]}")' if key in words else ""
