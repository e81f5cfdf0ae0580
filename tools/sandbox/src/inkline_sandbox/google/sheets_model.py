"""The Sheets fake's data: spreadsheets holding worksheets holding a ragged grid of cells, plus its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi.responses import JSONResponse

from inkline_sandbox.google.errors import rpc_error
from inkline_sandbox.google.sheets_cells import Cell


class SheetsError(Exception):
    def __init__(self, status: int, grpc_status: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.grpc_status = grpc_status
        self.message = message
        self.details = details

    def response(self) -> JSONResponse:
        return rpc_error(self.status, self.grpc_status, self.message, self.details)


def invalid(message: str) -> SheetsError:
    return SheetsError(400, "INVALID_ARGUMENT", message)


class SheetsFault(StrEnum):
    QUOTA_429 = "quota_429"
    INTERNAL_500 = "internal_500"
    UNAVAILABLE_503 = "unavailable_503"


def fault_error(fault: SheetsFault, *, write: bool) -> SheetsError:
    """Bodies as Sheets sends them (the 429 text and ErrorInfo match what gspread users report)."""
    if fault is SheetsFault.QUOTA_429:
        metric, limit = ("Write requests", "WriteRequestsPerMinutePerUser")
        if not write:
            metric, limit = ("Read requests", "ReadRequestsPerMinutePerUser")
        per_minute = metric.replace("requests", "requests per minute per user")
        return SheetsError(
            429,
            "RESOURCE_EXHAUSTED",
            f"Quota exceeded for quota metric '{metric}' and limit '{per_minute}' of service "
            "'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
            [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "quota_limit": limit,
                        "quota_metric": f"sheets.googleapis.com/{metric.split()[0].lower()}_requests",
                        "service": "sheets.googleapis.com",
                        "consumer": "projects/000000000000",
                    },
                }
            ],
        )
    if fault is SheetsFault.INTERNAL_500:
        return SheetsError(500, "INTERNAL", "Internal error encountered.")
    return SheetsError(503, "UNAVAILABLE", "The service is currently unavailable.")


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    rows: list[list[Cell]] = field(default_factory=list)

    def properties(self) -> dict[str, Any]:
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": self.row_count, "columnCount": self.column_count},
        }

    def cell(self, row: int, col: int) -> Cell:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def put(self, row: int, col: int, value: Cell) -> None:
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= col:
            line.append(None)
        line[col] = value


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)

    def sheet_by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def reindex(self) -> None:
        self.sheets.sort(key=lambda s: s.index)
        for position, sheet in enumerate(self.sheets):
            sheet.index = position

    def metadata(self) -> dict[str, Any]:
        return {
            "spreadsheetId": self.spreadsheet_id,
            "properties": {
                "title": self.title,
                "locale": "en_US",
                "autoRecalc": "ON_CHANGE",
                "timeZone": "Etc/GMT",
            },
            "sheets": [{"properties": s.properties()} for s in sorted(self.sheets, key=lambda s: s.index)],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit",
        }
