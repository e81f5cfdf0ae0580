import pytest
from pydantic import ValidationError

from inkline_campaigns.domain.segment_filter import SegmentFilter


def test_unknown_keys_are_refused_so_a_typo_never_widens_an_audience() -> None:
    with pytest.raises(ValidationError, match="cty"):
        SegmentFilter.model_validate({"cty": "Berlin"})


def test_unknown_status_names_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="unknown status waitlist; known statuses: abandoned"):
        SegmentFilter.model_validate({"status_in": ["waitlist"]})


def test_nested_any_of_and_budget_parse_into_a_filter() -> None:
    parsed = SegmentFilter.model_validate(
        {
            "city": "Berlin",
            "any_of": [{"tag": "flash"}, {"budget_at_least": {"amount_minor": 100, "currency": "eur"}}],
        }
    )

    assert parsed.any_of is not None
    assert parsed.any_of[1].budget_at_least is not None
    assert parsed.any_of[1].budget_at_least.currency == "EUR"


def test_budget_needs_a_currency() -> None:
    with pytest.raises(ValidationError, match="currency"):
        SegmentFilter.model_validate({"budget_at_least": {"amount_minor": 100}})
