from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from inkline_contracts.base import Money, TimeRange
from inkline_notifier.domain.sheet_rows import (
    BOOKED,
    BOOKED_HOLD,
    HELD,
    HOLD_ID,
    LEADS,
    RowState,
    budget,
    cells,
    client_cell,
    language_name,
    merge,
    phone,
    slot,
    with_slot,
)

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def test_an_older_event_arriving_late_does_not_overwrite_a_newer_value() -> None:
    row = RowState({}, {})
    row = merge(row, {"status": "booked"}, at=T0 + timedelta(minutes=5))
    row = merge(row, {"status": "deposit_pending", "city": "London"}, at=T0)

    assert row.values["status"] == "booked"
    assert row.values["city"] == "London"
    assert row.values["updated"] == "2027-03-01 12:05:00"


def test_cells_follow_the_column_order_with_blanks_for_unknown_fields() -> None:
    values = cells(LEADS, {"lead_id": "L1", "status": "new", "name": "Sam"})

    assert values[:4] == ["L1", "", "Sam", ""]
    assert values[10] == "new"
    assert len(values) == 16


def test_values_are_written_the_way_a_person_reads_them() -> None:
    assert budget(Money(amount_minor=40000, currency="GBP"), Money(amount_minor=50000, currency="GBP")) == (
        "400.00-500.00 GBP"
    )


def test_the_artists_sheet_shows_the_clients_full_number_in_international_format() -> None:
    assert phone("447700900123") == "+44 7700 900123"
    assert phone("14155550123") == "+1 415-555-0123"


def test_a_username_client_without_a_number_shows_their_username_or_a_masked_id() -> None:
    bsuid = "GB.13491208655302741918"

    assert client_cell(bsuid, phone_number=None, username="inked.sam") == "@inked.sam"
    assert client_cell(bsuid, phone_number=None, username=None) == "GB.…18"
    assert (
        client_cell(bsuid, phone_number="447700900123", username="inked.sam")
        == "+44 7700 900123 (@inked.sam)"
    )
    assert client_cell("447700900123", phone_number=None, username=None) == "+44 7700 900123"


def test_the_language_column_names_the_language_instead_of_its_code() -> None:
    assert [language_name(code) for code in ("pt", "es", "pt-BR", "de_AT")] == [
        "Portuguese",
        "Spanish",
        "Portuguese (Brazil)",
        "German (Austria)",
    ]
    # A code CLDR does not know is still shown, as it came.
    assert language_name("xx") == "xx"


def test_a_slot_reads_on_the_sessions_clock_not_utc() -> None:
    summer = datetime(2027, 7, 12, 11, 0, tzinfo=UTC)
    winter = datetime(2027, 12, 10, 14, 0, tzinfo=UTC)

    assert slot(TimeRange(start=summer, end=summer + timedelta(hours=4)), ZoneInfo("Europe/London")) == (
        "Mon 2027-07-12 12:00-16:00 BST"
    )
    assert slot(TimeRange(start=winter, end=winter + timedelta(hours=4)), ZoneInfo("Europe/Berlin")) == (
        "Fri 2027-12-10 15:00-19:00 CET"
    )


def test_the_slot_column_shows_a_hold_then_the_booking_then_a_move_under_way() -> None:
    assert with_slot({HELD: "Fri 10:00"})["slot"] == "Fri 10:00 (held)"
    assert with_slot({HELD: "", BOOKED: "Fri 10:00"})["slot"] == "Fri 10:00"
    assert (
        with_slot({HELD: "Mon 12:00", BOOKED: "Fri 10:00"})["slot"] == "Fri 10:00, moving to Mon 12:00 (held)"
    )
    assert with_slot({"slot": "written before"})["slot"] == "written before"


def test_a_hold_whose_event_arrives_after_its_booking_does_not_show_as_held() -> None:
    values = {HELD: "Mon 12:00", HOLD_ID: "h2", BOOKED: "Mon 12:00", BOOKED_HOLD: "h2"}

    assert with_slot(values)["slot"] == "Mon 12:00"
