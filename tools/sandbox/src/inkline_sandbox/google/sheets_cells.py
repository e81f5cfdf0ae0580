"""How Sheets turns what a client writes into a cell, and a cell back into what a client reads.

USER_ENTERED parses text as if typed into the UI: ``+4917012345`` becomes the *number* 4917012345 and
``'+4917012345`` stays text. That is a real pitfall for logging phone numbers, so the fake reproduces it.
Formulas are stored as their text and not evaluated.
"""

from __future__ import annotations

import re
from typing import Any

Cell = str | int | float | bool | None
_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def to_cell(value: Any, input_option: str) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if input_option != "USER_ENTERED":
        return text
    if text.startswith("'"):
        return text[1:]
    stripped = text.strip()
    if _INTEGER.fullmatch(stripped):
        return int(stripped)
    if _NUMBER.fullmatch(stripped):
        return float(stripped)
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    return text


def render(cell: Cell, render_option: str) -> Any:
    """FORMATTED_VALUE (the default) gives strings; UNFORMATTED_VALUE and FORMULA keep numbers and bools."""
    if cell is None:
        return ""
    if render_option in ("UNFORMATTED_VALUE", "FORMULA"):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else f"{cell:.15g}"
    return str(cell)


def trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells in each row and trailing empty rows, as values.get does."""
    trimmed = [list(row) for row in rows]
    for row in trimmed:
        while row and row[-1] == "":
            row.pop()
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def transpose(rows: list[list[Any]]) -> list[list[Any]]:
    width = max((len(row) for row in rows), default=0)
    return [[row[i] if i < len(row) else "" for row in rows] for i in range(width)]
