from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inkline_contracts.base import Money, TimeRange
from inkline_notifier.domain.sheet_rows import LEADS, RowState, budget, cells, mask_phone, merge, slot

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
    assert len(values) == 15


def test_values_are_written_the_way_a_person_reads_them() -> None:
    start = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)

    assert mask_phone("447700900123") == "44…23"
    assert budget(Money(amount_minor=40000, currency="GBP"), Money(amount_minor=50000, currency="GBP")) == (
        "400.00-500.00 GBP"
    )
    assert slot(TimeRange(start=start, end=start + timedelta(hours=4))) == "2027-03-12 11:00-15:00 UTC"
