"""Sheets v4 fake driven by gspread 6.2.1 with real service-account credentials.

gspread has no base-URL option: every URL is built from ``https://sheets.googleapis.com`` in gspread/urls.py
and every call goes through ``HTTPClient.request(method, endpoint, ...)``. Subclassing the HTTP client and
rewriting that origin in ``request`` is the whole rebasing mechanism; ``gspread.authorize`` takes the class.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import gspread
import pytest
from google.oauth2 import service_account
from gspread.http_client import BackOffHTTPClient, HTTPClient
from gspread.utils import ValueInputOption
from requests import Response

from inkline_sandbox.google import GoogleSandbox, SheetsFault

SHEETS_ORIGIN = "https://sheets.googleapis.com"
BOOK = "1SandboxLeadsSpreadsheetId0000000000000000"


def rebased(base_url: str, parent: type[HTTPClient] = HTTPClient) -> type[HTTPClient]:
    """An HTTP client class sending gspread's Sheets requests to ``base_url`` instead of Google."""

    class RebasedHTTPClient(parent):  # type: ignore[valid-type,misc]
        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
            if endpoint.startswith(SHEETS_ORIGIN):
                endpoint = base_url + endpoint[len(SHEETS_ORIGIN) :]
            response: Response = super().request(method, endpoint, *args, **kwargs)
            return response

    return RebasedHTTPClient


@pytest.fixture
def book(sandbox: GoogleSandbox) -> str:
    sandbox.sheets.create_spreadsheet(BOOK, title="Inkline leads", worksheets=("Leads", "Bookings"))
    sandbox.sheets.seed_values(BOOK, "Leads", [["phone", "name", "status"], ["491701", "Mia", "new"]])
    return BOOK


@pytest.fixture
def client(credentials: service_account.Credentials, base_url: str) -> gspread.Client:
    return gspread.authorize(credentials, http_client=rebased(base_url))


def test_open_by_key_reads_the_spreadsheet_and_worksheet_metadata(client: gspread.Client, book: str) -> None:
    spreadsheet = client.open_by_key(book)
    leads = spreadsheet.worksheet("Leads")

    assert spreadsheet.title == "Inkline leads"
    assert [w.title for w in spreadsheet.worksheets()] == ["Leads", "Bookings"]
    assert (leads.id, leads.index, leads.row_count, leads.col_count) == (0, 0, 1000, 26)
    assert spreadsheet.worksheet("Bookings").id == 1


def test_get_all_values_returns_the_seeded_rows(client: gspread.Client, book: str) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    assert leads.get_all_values() == [["phone", "name", "status"], ["491701", "Mia", "new"]]


def test_update_writes_a_block_at_an_anchor_cell(
    client: gspread.Client, book: str, sandbox: GoogleSandbox
) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    answer = leads.update([["491702", "Noah"], ["491703", "Ida"]], "A3")

    assert answer["updatedRange"] == "Leads!A3:B4"
    assert answer["updatedCells"] == 4
    assert sandbox.sheets.worksheet_values(book, "Leads")[2:] == [["491702", "Noah"], ["491703", "Ida"]]


def test_append_row_lands_below_the_table_and_reports_googles_ranges(
    client: gspread.Client, book: str, sandbox: GoogleSandbox
) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    answer = leads.append_row(["491704", "Ola", "new"])

    assert answer["tableRange"] == "Leads!A1:C2"
    assert answer["updates"]["updatedRange"] == "Leads!A3:C3"
    assert sandbox.sheets.worksheet_values(book, "Leads")[-1] == ["491704", "Ola", "new"]


def test_user_entered_phone_numbers_become_numbers_unless_quoted(client: gspread.Client, book: str) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    leads.append_row(
        ["+4917012345678", "'+4917012345678", "0049"], value_input_option=ValueInputOption.user_entered
    )
    leads.append_row(["+4917012345678", "TRUE", "0049"], value_input_option=ValueInputOption.raw)

    assert leads.get_all_values()[2:] == [
        ["4917012345678", "+4917012345678", "49"],
        ["+4917012345678", "TRUE", "0049"],
    ]


def test_a_worksheet_batch_update_is_a_single_write_call(
    client: gspread.Client, book: str, sandbox: GoogleSandbox
) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    leads.batch_update(
        [{"range": "C2", "values": [["booked"]]}, {"range": "A3:C3", "values": [["491705", "Lea", "new"]]}]
    )

    assert sandbox.sheets.write_calls(book) == 1
    assert sandbox.sheets.worksheet_values(book, "Leads")[1:] == [
        ["491701", "Mia", "booked"],
        ["491705", "Lea", "new"],
    ]


def test_batch_get_reads_open_column_ranges_and_single_cells(client: gspread.Client, book: str) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    names, status = leads.batch_get(["B:B", "C2"])

    assert names.range == "Leads!B1:B1000"
    assert names == [["name"], ["Mia"]]
    assert status.range == "Leads!C2"
    assert status == [["new"]]


def test_a_quota_429_surfaces_as_resource_exhausted_and_writes_nothing(
    client: gspread.Client, book: str, sandbox: GoogleSandbox
) -> None:
    leads = client.open_by_key(book).worksheet("Leads")
    sandbox.sheets.inject(SheetsFault.QUOTA_429, spreadsheet_id=book)

    with pytest.raises(gspread.exceptions.APIError) as raised:
        leads.append_row(["491706", "Tom", "new"])

    assert raised.value.code == 429
    assert raised.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert "'Write requests'" in raised.value.error["message"]
    assert raised.value.error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert sandbox.sheets.write_calls(book) == 1
    assert len(sandbox.sheets.worksheet_values(book, "Leads")) == 2


def test_the_backoff_client_retries_quota_errors_and_the_row_is_written_once(
    credentials: service_account.Credentials,
    base_url: str,
    book: str,
    sandbox: GoogleSandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gspread.http_client, "time", SimpleNamespace(sleep=lambda _seconds: None))
    client = gspread.authorize(credentials, http_client=rebased(base_url, BackOffHTTPClient))
    leads = client.open_by_key(book).worksheet("Leads")
    sandbox.sheets.inject("quota_429", times=2)

    leads.append_row(["491707", "Eva", "new"])

    assert sandbox.sheets.write_calls(book) == 3
    assert [c.status for c in sandbox.sheets.calls if c.write] == [429, 429, 200]
    assert sandbox.sheets.worksheet_values(book, "Leads")[2:] == [["491707", "Eva", "new"]]


def test_worksheets_are_added_renamed_and_written_through_quoted_titles(
    client: gspread.Client, book: str, sandbox: GoogleSandbox
) -> None:
    spreadsheet = client.open_by_key(book)

    archive = spreadsheet.add_worksheet("Archive", rows=10, cols=4)
    archive.update_title("Bob's leads")
    archive.update([["kept"]], "B2")

    assert (archive.id, archive.row_count, archive.col_count) == (2, 10, 4)
    assert sandbox.sheets.worksheet_titles(book) == ["Leads", "Bookings", "Bob's leads"]
    assert spreadsheet.worksheet("Bob's leads").get_all_values() == [["", ""], ["", "kept"]]


def test_adding_a_worksheet_with_a_taken_title_is_rejected_like_google(
    client: gspread.Client, book: str
) -> None:
    with pytest.raises(gspread.exceptions.APIError) as raised:
        client.open_by_key(book).add_worksheet("Leads", rows=10, cols=4)

    assert raised.value.code == 400
    assert raised.value.error["status"] == "INVALID_ARGUMENT"
    assert 'A sheet with the name "Leads" already exists' in raised.value.error["message"]


def test_writing_beyond_an_explicit_range_or_the_grid_is_a_400(client: gspread.Client, book: str) -> None:
    leads = client.open_by_key(book).worksheet("Leads")

    with pytest.raises(gspread.exceptions.APIError) as too_wide:
        leads.update([["a", "b", "c"]], "A1:B1")
    with pytest.raises(gspread.exceptions.APIError) as off_grid:
        leads.update([["late"]], "A1001")

    assert too_wide.value.error["message"] == (
        "Requested writing within range [Leads!A1:B1], but tried writing to column [3]"
    )
    assert off_grid.value.error["message"].startswith("Range ('Leads'!A1001) exceeds grid limits.")


def test_an_unknown_spreadsheet_raises_spreadsheet_not_found(client: gspread.Client, book: str) -> None:
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("no-such-spreadsheet")
