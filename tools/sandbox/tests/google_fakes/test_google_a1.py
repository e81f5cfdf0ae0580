"""A1 notation as the Sheets fake reads and echoes it."""

from __future__ import annotations

import pytest

from inkline_sandbox.google.a1 import A1Error, A1Range, column_index, column_letters, format_range, parse_a1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leads", A1Range("Leads")),
        ("'Leads'", A1Range("Leads")),
        ("'Bob''s leads'!A2", A1Range("Bob's leads", 1, 0, 2, 1, single_cell=True)),
        ("Leads!A:Z", A1Range("Leads", 0, 0, None, 26)),
        ("Leads!A2:C", A1Range("Leads", 1, 0, None, 3)),
        ("Leads!2:5", A1Range("Leads", 1, 0, 5, None)),
        ("Leads!$B$2:$C$4", A1Range("Leads", 1, 1, 4, 3)),
        ("C4:A1", A1Range(None, 0, 0, 4, 3)),
        ("'It!s'!AA10", A1Range("It!s", 9, 26, 10, 27, single_cell=True)),
    ],
)
def test_ranges_parse_into_zero_based_half_open_bounds(text: str, expected: A1Range) -> None:
    assert parse_a1(text) == expected


@pytest.mark.parametrize("text", ["'Unclosed!A1", "Leads!A0", "Leads!A1:!", "'Leads'B2"])
def test_malformed_ranges_are_refused(text: str) -> None:
    with pytest.raises(A1Error):
        parse_a1(text)


def test_column_letters_and_indexes_round_trip_past_z() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert [column_index(s) for s in ("A", "Z", "AA", "ZZ", "AAA")] == [0, 25, 26, 701, 702]


def test_ranges_are_echoed_with_titles_quoted_only_when_needed() -> None:
    assert format_range("Leads", 0, 0, 1000, 26) == "Leads!A1:Z1000"
    assert format_range("Leads", 1, 2, 2, 3) == "Leads!C2"
    assert format_range("Bob's leads", 0, 0, 2, 2) == "'Bob''s leads'!A1:B2"
