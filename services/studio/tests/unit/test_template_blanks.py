"""A template's blanks: a client's own detail is filled per client, anything else is typed once."""

from __future__ import annotations

import pytest

from inkline_studio.domain.template_blanks import BlankError, default_source, parameter


@pytest.mark.parametrize(
    ("meaning", "source"),
    [
        ("first name", "profile_name"),
        ("City", "city"),
        ("tattoo style", "style"),
        ("Date of the flash day", "typed"),
    ],
)
def test_a_blank_named_for_a_clients_detail_is_filled_from_it_by_default(meaning: str, source: str) -> None:
    assert default_source(meaning) == source


def test_a_first_name_blank_is_each_clients_name_with_a_greeting_fallback() -> None:
    assert parameter(meaning="first name", source="profile_name", typed="ignored") == {
        "field": "profile_name",
        "fallback": "there",
    }


def test_a_typed_blank_is_the_same_words_for_everyone_and_may_not_be_empty() -> None:
    assert parameter(meaning="date", source="typed", typed="  Saturday 20 March ") == {
        "value": "Saturday 20 March"
    }
    with pytest.raises(BlankError, match="Fill in “date”"):
        parameter(meaning="date", source="typed", typed="   ")


def test_an_unknown_source_is_refused() -> None:
    with pytest.raises(BlankError, match="Choose how to fill"):
        parameter(meaning="date", source="budget", typed="")
