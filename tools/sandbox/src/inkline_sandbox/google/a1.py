"""A1 notation as Sheets v4 reads it: ``'It''s'!A2:C``, ``Leads!A:Z``, ``Leads!2:5``, ``Leads``, ``A1:B2``."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"\$?([A-Za-z]*)\$?([0-9]*)")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LOOKS_LIKE_CELL = re.compile(r"[A-Za-z]{1,3}[0-9]+|[A-Za-z]{1,3}|[0-9]+", re.IGNORECASE)


class A1Error(ValueError):
    pass


@dataclass(frozen=True)
class A1Range:
    """Zero-based, half-open bounds; ``None`` ends run to the edge of the grid."""

    sheet: str | None
    start_row: int = 0
    start_col: int = 0
    end_row: int | None = None
    end_col: int | None = None
    single_cell: bool = False

    @property
    def cells(self) -> bool:
        """Whether any cell bounds were given (``Leads`` alone means the whole sheet)."""
        return (self.start_row, self.start_col, self.end_row, self.end_col) != (0, 0, None, None)


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _split_sheet(text: str) -> tuple[str | None, str | None]:
    if text.startswith("'"):
        position, title = 1, []
        while position < len(text):
            char = text[position]
            if char == "'":
                if text[position + 1 : position + 2] == "'":
                    title.append("'")
                    position += 2
                    continue
                rest = text[position + 1 :]
                if rest and not rest.startswith("!"):
                    raise A1Error(text)
                return "".join(title), (rest[1:] or None)
            title.append(char)
            position += 1
        raise A1Error(text)
    sheet, bang, cells = text.partition("!")
    if bang:
        return sheet, cells or None
    return (None, text) if _LOOKS_LIKE_CELL.fullmatch(text.split(":")[0]) else (text, None)


def _ref(part: str) -> tuple[int | None, int | None]:
    match = _REF.fullmatch(part)
    if not match or not (match.group(1) or match.group(2)):
        raise A1Error(part)
    letters, digits = match.groups()
    if digits and int(digits) < 1:
        raise A1Error(part)
    return (int(digits) - 1 if digits else None), (column_index(letters) if letters else None)


def parse_a1(text: str) -> A1Range:
    """Parse a range; a bare word that could be a cell (``A1``) is read as cells on the first sheet."""
    sheet, cells = _split_sheet(text.strip())
    if cells is None:
        return A1Range(sheet)
    first, colon, second = cells.partition(":")
    start_row, start_col = _ref(first)
    if not colon:
        if start_row is None or start_col is None:
            raise A1Error(text)
        return A1Range(sheet, start_row, start_col, start_row + 1, start_col + 1, single_cell=True)
    end_row, end_col = _ref(second)
    rows = sorted(r for r in (start_row, end_row) if r is not None)
    cols = sorted(c for c in (start_col, end_col) if c is not None)
    return A1Range(
        sheet,
        start_row=rows[0] if start_row is not None else 0,
        start_col=cols[0] if start_col is not None else 0,
        end_row=rows[-1] + 1 if end_row is not None else None,
        end_col=cols[-1] + 1 if end_col is not None else None,
    )


def quote_title(title: str) -> str:
    if _PLAIN_TITLE.fullmatch(title) and not _LOOKS_LIKE_CELL.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """How Google echoes a range: ``Leads!A2:C3``, or ``Leads!A2`` for one cell."""
    first = f"{column_letters(start_col)}{start_row + 1}"
    if end_row - start_row <= 1 and end_col - start_col <= 1:
        return f"{quote_title(title)}!{first}"
    return f"{quote_title(title)}!{first}:{column_letters(end_col - 1)}{end_row}"
