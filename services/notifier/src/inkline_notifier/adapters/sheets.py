"""Google Sheets (gspread, service account), or anything speaking its API at GOOGLE_API_ENDPOINT.

Rows are upserted by their first cell (the key): per worksheet and call, one read of the key column and
at most two writes (values.batchUpdate for rows already there, values.append for new ones), and always
writes RAW so a value is never run as a formula.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

import gspread
from gspread.http_client import HTTPClient
from requests import Response

GOOGLE_SHEETS_ORIGIN = "https://sheets.googleapis.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]


class SheetsQuotaError(Exception):
    """Google answered 429: wait before the next write."""


class SheetsGateway(Protocol):
    async def upsert(self, worksheet: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Write each row over the row with the same first cell, appending the ones not there yet."""


def rebased_http_client(base_url: str) -> type[HTTPClient]:
    """gspread has no base-URL option; its documented extension point is the HTTP client class."""

    class RebasedHTTPClient(HTTPClient):
        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
            if endpoint.startswith(GOOGLE_SHEETS_ORIGIN):
                endpoint = base_url.rstrip("/") + endpoint[len(GOOGLE_SHEETS_ORIGIN) :]
            return super().request(method, endpoint, *args, **kwargs)

    return RebasedHTTPClient


class GoogleSheets:
    def __init__(self, *, service_account_file: str, spreadsheet_id: str, api_endpoint: str | None) -> None:
        self._file = service_account_file
        self._spreadsheet_id = spreadsheet_id
        self._http_client = rebased_http_client(api_endpoint) if api_endpoint else HTTPClient
        self._spreadsheet: gspread.Spreadsheet | None = None
        self._known_worksheets: set[str] = set()

    async def upsert(self, worksheet: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        try:
            await asyncio.to_thread(self._upsert, worksheet, list(header), [list(r) for r in rows])
        except gspread.exceptions.APIError as exc:
            if exc.response.status_code == 429:
                raise SheetsQuotaError(str(exc)) from exc
            raise

    def _book(self) -> gspread.Spreadsheet:
        if self._spreadsheet is None:
            client = gspread.service_account(
                filename=self._file, scopes=SCOPES, http_client=self._http_client
            )
            self._spreadsheet = client.open_by_key(self._spreadsheet_id)
            self._known_worksheets = {w.title for w in self._spreadsheet.worksheets()}
        return self._spreadsheet

    def _upsert(self, worksheet: str, header: list[str], rows: list[list[str]]) -> None:
        book = self._book()
        if worksheet not in self._known_worksheets:
            book.add_worksheet(worksheet, rows=1000, cols=len(header))
            self._known_worksheets.add(worksheet)
        sheet_range = _quoted(worksheet)
        answer = book.values_batch_get([f"{sheet_range}!A:A"])
        keys = [row[0] if row else "" for row in answer["valueRanges"][0].get("values", [])]
        positions = {key: index + 1 for index, key in enumerate(keys) if key}
        updates = [
            {"range": f"{sheet_range}!A{positions[row[0]]}", "values": [row]}
            for row in rows
            if row[0] in positions
        ]
        new_rows = [row for row in rows if row[0] not in positions]
        if not keys:
            new_rows.insert(0, header)
        if updates:
            book.values_batch_update({"valueInputOption": "RAW", "data": updates})
        if new_rows:
            book.values_append(
                f"{sheet_range}!A1",
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body={"values": new_rows},
            )


def _quoted(worksheet: str) -> str:
    return "'" + worksheet.replace("'", "''") + "'"
