"""In-memory Sheets v4: spreadsheets, scripted faults and per-spreadsheet write counts, safe across threads."""

from __future__ import annotations

import copy
import secrets
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inkline_sandbox.google.a1 import A1Error, A1Range, format_range, parse_a1
from inkline_sandbox.google.faults import FaultScript
from inkline_sandbox.google.sheets_batch import apply_requests
from inkline_sandbox.google.sheets_cells import render, to_cell, transpose, trim
from inkline_sandbox.google.sheets_model import Sheet, SheetsError, SheetsFault, Spreadsheet, invalid

ANY_SPREADSHEET = "*"
_INPUT_OPTIONS = ("RAW", "USER_ENTERED")


@dataclass(frozen=True)
class SheetsCall:
    method: str
    spreadsheet_id: str
    write: bool
    status: int


@dataclass(frozen=True)
class _Target:
    sheet: Sheet
    start_row: int
    start_col: int
    end_row: int
    end_col: int
    single_cell: bool


class SheetsState:
    """Everything the Sheets fake knows; tests seed it, script faults on it and inspect it."""

    def __init__(self) -> None:
        self.faults: FaultScript[str, SheetsFault] = FaultScript()
        self._lock = threading.RLock()
        self._books: dict[str, Spreadsheet] = {}
        self._writes: Counter[str] = Counter()
        self._calls: list[SheetsCall] = []

    # -- seeding, scripting and inspection ---------------------------------------------------------------

    def create_spreadsheet(
        self,
        spreadsheet_id: str | None = None,
        *,
        title: str = "Untitled spreadsheet",
        worksheets: Sequence[str] = ("Sheet1",),
    ) -> str:
        book_id = spreadsheet_id or secrets.token_urlsafe(33)[:44]
        with self._lock:
            sheets = [Sheet(sheet_id=0 if i == 0 else i, title=t, index=i) for i, t in enumerate(worksheets)]
            self._books[book_id] = Spreadsheet(book_id, title, sheets)
        return book_id

    def seed_values(self, spreadsheet_id: str, worksheet: str, rows: list[list[Any]]) -> None:
        """Put rows at A1 as if typed raw, without counting a write call."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, worksheet)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    sheet.put(r, c, to_cell(value, "RAW"))

    def worksheet_values(self, spreadsheet_id: str, worksheet: str) -> list[list[str]]:
        """The sheet as FORMATTED_VALUE strings, trailing blanks trimmed (what get_all_values returns)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, worksheet)
            return trim([[render(cell, "FORMATTED_VALUE") for cell in row] for row in sheet.rows])

    def worksheet_titles(self, spreadsheet_id: str) -> list[str]:
        with self._lock:
            return [s.title for s in sorted(self._book(spreadsheet_id).sheets, key=lambda s: s.index)]

    def inject(
        self,
        fault: SheetsFault | str = SheetsFault.QUOTA_429,
        times: int = 1,
        *,
        spreadsheet_id: str | None = None,
    ) -> None:
        """Fail the next ``times`` calls (to one spreadsheet, or to any) with ``fault``."""
        self.faults.add(spreadsheet_id or ANY_SPREADSHEET, SheetsFault(fault), times)

    def write_calls(self, spreadsheet_id: str) -> int:
        """Write requests received for the spreadsheet, counting those an injected fault refused."""
        with self._lock:
            return self._writes[spreadsheet_id]

    @property
    def calls(self) -> list[SheetsCall]:
        with self._lock:
            return list(self._calls)

    def record(self, call: SheetsCall) -> None:
        with self._lock:
            self._calls.append(call)
            if call.write:
                self._writes[call.spreadsheet_id] += 1

    # -- resolution --------------------------------------------------------------------------------------

    def _book(self, spreadsheet_id: str) -> Spreadsheet:
        book = self._books.get(spreadsheet_id)
        if book is None:
            raise SheetsError(404, "NOT_FOUND", "Requested entity was not found.")
        return book

    def _sheet(self, spreadsheet_id: str, title: str) -> Sheet:
        sheet = self._book(spreadsheet_id).sheet_by_title(title)
        if sheet is None:
            raise KeyError(f"no worksheet {title!r} in {spreadsheet_id}")
        return sheet

    def _target(self, spreadsheet_id: str, text: str) -> _Target:
        book = self._book(spreadsheet_id)
        try:
            # A bare title wins over reading it as cells: a sheet called "Log" is not column LOG.
            parsed = A1Range(text) if book.sheet_by_title(text) else parse_a1(text)
        except A1Error as exc:
            raise invalid(f"Unable to parse range: {text}") from exc
        first = min(book.sheets, key=lambda s: s.index)
        sheet = first if parsed.sheet is None else book.sheet_by_title(parsed.sheet)
        if sheet is None:
            raise invalid(f"Unable to parse range: {text}")
        end_row = sheet.row_count if parsed.end_row is None else parsed.end_row
        end_col = sheet.column_count if parsed.end_col is None else parsed.end_col
        if end_row > sheet.row_count or end_col > sheet.column_count or parsed.start_row >= sheet.row_count:
            raise invalid(
                f"Range ({text}) exceeds grid limits. Max rows: {sheet.row_count}, "
                f"max columns: {sheet.column_count}"
            )
        return _Target(sheet, parsed.start_row, parsed.start_col, end_row, end_col, parsed.single_cell)

    # -- the API -----------------------------------------------------------------------------------------

    def metadata(self, spreadsheet_id: str) -> dict[str, Any]:
        with self._lock:
            return self._book(spreadsheet_id).metadata()

    def get_values(
        self,
        spreadsheet_id: str,
        text: str,
        *,
        major_dimension: str = "ROWS",
        render_option: str = "FORMATTED_VALUE",
    ) -> dict[str, Any]:
        with self._lock:
            t = self._target(spreadsheet_id, text)
            grid = [
                [render(t.sheet.cell(r, c), render_option) for c in range(t.start_col, t.end_col)]
                for r in range(t.start_row, min(t.end_row, max(len(t.sheet.rows), t.start_row)))
            ]
        values = trim(grid)
        if major_dimension == "COLUMNS":
            values = trim(transpose(values))
        answer: dict[str, Any] = {
            "range": format_range(t.sheet.title, t.start_row, t.start_col, t.end_row, t.end_col),
            "majorDimension": major_dimension,
        }
        if values:
            answer["values"] = values
        return answer

    def _write(
        self, t: _Target, start_row: int, values: list[list[Any]], input_option: str, *, grow: bool
    ) -> dict[str, Any]:
        if input_option not in _INPUT_OPTIONS:
            raise invalid(f"Invalid valueInputOption: {input_option or 'INPUT_VALUE_OPTION_UNSPECIFIED'}")
        height, width = len(values), max((len(row) for row in values), default=0)
        limit_row = t.sheet.row_count if (t.single_cell or grow) else t.end_row
        limit_col = t.sheet.column_count if t.single_cell else t.end_col
        declared = format_range(t.sheet.title, t.start_row, t.start_col, t.end_row, t.end_col)
        if width and t.start_col + width > limit_col:
            raise invalid(
                f"Requested writing within range [{declared}], but tried writing to column [{t.start_col + width}]"
            )
        if grow:
            t.sheet.row_count = max(t.sheet.row_count, start_row + height)
        elif start_row + height > limit_row:
            raise invalid(
                f"Requested writing within range [{declared}], but tried writing to row [{start_row + height}]"
            )
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                t.sheet.put(start_row + r, t.start_col + c, to_cell(value, input_option))
        answer: dict[str, Any] = {"spreadsheetId": None, "updatedRange": None}
        if height and width:
            answer.update(
                updatedRange=format_range(
                    t.sheet.title, start_row, t.start_col, start_row + height, t.start_col + width
                ),
                updatedRows=height,
                updatedColumns=width,
                updatedCells=sum(len(row) for row in values),
            )
        else:
            answer["updatedRange"] = declared
        return answer

    def update_values(
        self,
        spreadsheet_id: str,
        text: str,
        values: list[list[Any]],
        *,
        input_option: str,
        major_dimension: str = "ROWS",
    ) -> dict[str, Any]:
        rows = transpose(values) if major_dimension == "COLUMNS" else values
        with self._lock:
            t = self._target(spreadsheet_id, text)
            answer = self._write(t, t.start_row, rows, input_option, grow=False)
        answer["spreadsheetId"] = spreadsheet_id
        return answer

    def append_values(
        self,
        spreadsheet_id: str,
        text: str,
        values: list[list[Any]],
        *,
        input_option: str,
        insert_rows: bool = False,
        major_dimension: str = "ROWS",
    ) -> dict[str, Any]:
        """Write after the last row holding data in the range's columns: the "table" Google would find."""
        rows = transpose(values) if major_dimension == "COLUMNS" else values
        with self._lock:
            t = self._target(spreadsheet_id, text)
            used = [
                r
                for r in range(t.start_row, len(t.sheet.rows))
                if any(t.sheet.cell(r, c) is not None for c in range(t.start_col, t.end_col))
            ]
            start = used[-1] + 1 if used else t.start_row
            if insert_rows:
                t.sheet.rows[start:start] = [[] for _ in rows]
                t.sheet.row_count += len(rows)
            updates = self._write(t, start, rows, input_option, grow=True)
            updates["spreadsheetId"] = spreadsheet_id
            answer: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "updates": updates}
            if used:
                last_col = max(
                    c for r in used for c in range(t.start_col, t.end_col) if t.sheet.cell(r, c) is not None
                )
                answer["tableRange"] = format_range(
                    t.sheet.title, used[0], t.start_col, used[-1] + 1, last_col + 1
                )
        return answer

    def batch_update_values(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        input_option = str(body.get("valueInputOption") or "")
        with self._lock:
            snapshot = copy.deepcopy(self._book(spreadsheet_id))
            try:
                responses = [
                    self.update_values(
                        spreadsheet_id,
                        str(item.get("range", "")),
                        item.get("values", []),
                        input_option=input_option,
                        major_dimension=item.get("majorDimension", "ROWS"),
                    )
                    for item in body.get("data", [])
                ]
            except SheetsError:
                self._books[spreadsheet_id] = snapshot
                raise
        touched = {r["updatedRange"].rpartition("!")[0] for r in responses if "updatedRows" in r}
        return {
            "spreadsheetId": spreadsheet_id,
            "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
            "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
            "totalUpdatedSheets": len(touched),
            "responses": responses,
        }

    def batch_update(self, spreadsheet_id: str, requests: list[Any]) -> dict[str, Any]:
        with self._lock:
            draft = copy.deepcopy(self._book(spreadsheet_id))
            replies = apply_requests(draft, requests)
            self._books[spreadsheet_id] = draft
        return {"spreadsheetId": spreadsheet_id, "replies": replies}
