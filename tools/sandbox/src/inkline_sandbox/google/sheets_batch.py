"""spreadsheets.batchUpdate: the structural requests gspread sends for worksheets.

Google applies a batch atomically, so the caller runs these against a copy and keeps it only if every
request succeeded.
"""

from __future__ import annotations

from typing import Any

from inkline_sandbox.google.sheets_model import Sheet, SheetsError, Spreadsheet, invalid


def _add_sheet(book: Spreadsheet, request: dict[str, Any], where: str) -> dict[str, Any]:
    props = request.get("properties", {})
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.sheet_by_title(title) is not None:
        raise invalid(
            f'Invalid {where}: A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = max((s.sheet_id for s in book.sheets), default=0) + 1
    elif book.sheet_by_id(sheet_id) is not None:
        raise invalid(f"Invalid {where}: A sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties", {})
    index = props.get("index", len(book.sheets))
    for other in book.sheets:
        if other.index >= index:
            other.index += 1
    sheet = Sheet(
        sheet_id=int(sheet_id),
        title=title,
        index=int(index),
        row_count=int(grid.get("rowCount", 1000)),
        column_count=int(grid.get("columnCount", 26)),
    )
    book.sheets.append(sheet)
    book.reindex()
    return {"addSheet": {"properties": sheet.properties()}}


def _target(book: Spreadsheet, sheet_id: Any, where: str) -> Sheet:
    sheet = book.sheet_by_id(sheet_id) if isinstance(sheet_id, int) else None
    if sheet is None:
        raise invalid(f"Invalid {where}: No grid with id: {sheet_id}")
    return sheet


def _update_sheet_properties(book: Spreadsheet, request: dict[str, Any], where: str) -> dict[str, Any]:
    props = request.get("properties", {})
    sheet = _target(book, props.get("sheetId"), where)
    fields = request.get("fields")
    if not fields:
        raise invalid(f"Invalid {where}: At least one field must be updated. 'fields' is empty.")
    wanted = {f.strip() for f in fields.split(",")}
    everything = "*" in wanted
    grid = props.get("gridProperties", {})
    if everything or "title" in wanted:
        title = props.get("title", sheet.title)
        clash = book.sheet_by_title(title)
        if clash is not None and clash is not sheet:
            raise invalid(
                f'Invalid {where}: A sheet with the name "{title}" already exists. Please enter another name.'
            )
        sheet.title = title
    if everything or "index" in wanted:
        target = int(props.get("index", sheet.index))
        book.sheets.remove(sheet)
        book.sheets.sort(key=lambda s: s.index)
        book.sheets.insert(min(target, len(book.sheets)), sheet)
        for position, member in enumerate(book.sheets):
            member.index = position
    if everything or "gridProperties" in wanted or "gridProperties.rowCount" in wanted:
        sheet.row_count = int(grid.get("rowCount", sheet.row_count))
        del sheet.rows[sheet.row_count :]
    if everything or "gridProperties" in wanted or "gridProperties.columnCount" in wanted:
        sheet.column_count = int(grid.get("columnCount", sheet.column_count))
        for row in sheet.rows:
            del row[sheet.column_count :]
    return {}


def _delete_sheet(book: Spreadsheet, request: dict[str, Any], where: str) -> dict[str, Any]:
    sheet = _target(book, request.get("sheetId"), where)
    if len(book.sheets) == 1:
        raise invalid(f"Invalid {where}: You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    return {}


def _append_dimension(book: Spreadsheet, request: dict[str, Any], where: str) -> dict[str, Any]:
    sheet = _target(book, request.get("sheetId"), where)
    length = int(request.get("length", 0))
    if length < 1:
        raise invalid(f"Invalid {where}: length must be at least 1")
    if request.get("dimension") == "COLUMNS":
        sheet.column_count += length
    else:
        sheet.row_count += length
    return {}


_HANDLERS = {
    "addSheet": _add_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "deleteSheet": _delete_sheet,
    "appendDimension": _append_dimension,
}


def apply_requests(book: Spreadsheet, requests: list[Any]) -> list[dict[str, Any]]:
    if not isinstance(requests, list) or not requests:
        raise invalid("Invalid requests: must specify at least one request.")
    replies: list[dict[str, Any]] = []
    for position, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise invalid(f"Invalid requests[{position}]: exactly one kind of request must be set.")
        kind, payload = next(iter(request.items()))
        handler = _HANDLERS.get(kind)
        if handler is None:
            # Google knows many more kinds; saying so plainly beats silently accepting and ignoring one.
            raise SheetsError(
                400,
                "INVALID_ARGUMENT",
                f"requests[{position}].{kind} is not supported by the Inkline sandbox "
                f"(supported: {', '.join(_HANDLERS)}).",
            )
        replies.append(handler(book, payload, f"requests[{position}].{kind}"))
    return replies
