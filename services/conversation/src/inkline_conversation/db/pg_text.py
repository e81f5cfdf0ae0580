"""Text PostgreSQL refuses, found and made safe.

PostgreSQL stores no NUL character, in TEXT or in JSONB, and asyncpg cannot encode a lone UTF-16
surrogate ("\\ud800", which JSON allows as an escape) into UTF-8. Either one in a webhook made the whole
insert fail; such content is found before it reaches a statement, and kept in the quarantine escaped.
"""

from __future__ import annotations

from typing import Any

NUL = "\x00"


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def _problem(text: str) -> str | None:
    if NUL in text:
        return "NUL character"
    if any(_is_surrogate(char) for char in text):
        return "lone surrogate"
    return None


def find_unstorable(value: Any, path: str = "$") -> str | None:
    """Where the first text PostgreSQL cannot store sits in a JSON value (keys included), or None."""
    if isinstance(value, str):
        problem = _problem(value)
        return f"{problem} in {path}" if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{_safe_text(str(key))}"
            problem = _problem(str(key))
            if problem:
                return f"{problem} in the key {where}"
            found = find_unstorable(item, where)
            if found:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = find_unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _safe_text(text: str) -> str:
    # The escapes are written out as text ("\u0000", "\ud800"), so the original stays readable.
    return text.replace(NUL, "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def storable(value: Any) -> Any:
    """A copy of a JSON value with every NUL and lone surrogate written out as its escape."""
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, dict):
        return {_safe_text(str(key)): storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value
