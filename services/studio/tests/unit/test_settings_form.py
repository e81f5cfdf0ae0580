"""The Settings form reads amounts and notice periods as the artist writes them."""

from __future__ import annotations

from typing import Any

import pytest

from inkline_studio.domain.settings_form import FormError, amount_minor, form_values, settings_from_form

STORED: dict[str, Any] = {
    "artist_name": "Rowan",
    "studio_address": "Studio 3",
    "minimum_spend_minor": 15000,
    "deposit_by_size_minor": {"small": 5000, "medium": 10000, "large": 15000, "full_day": 20000, "xl": 1},
    "artist_does_cover_ups": True,
    "artist_does_colour": True,
    "free_reschedule_notice_hours": 72.0,
    "refund_notice_hours": 72.0,
    "appointment_early_reminder_hours": 72.0,
    "appointment_final_reminder_hours": 24.0,
    "artist_language": "en",
    "artist_currency": "GBP",
    "faq_answers": {"bring": "Photo ID and a snack."},
    "appointment_early_reminder_on": True,
    "appointment_final_reminder_on": True,
}
TICKED = {
    "artist_does_cover_ups": "on",
    "artist_does_colour": "on",
    "early_reminder_on": "on",
    "final_reminder_on": "on",
}


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [("150", "GBP", 15000), ("£150.5", "GBP", 15050), ("1,200", "EUR", 120000), ("5000", "JPY", 5000)],
)
def test_amounts_are_read_in_the_currencys_minor_units(typed: str, currency: str, minor: int) -> None:
    assert amount_minor(typed, currency, field="Minimum spend") == minor


@pytest.mark.parametrize("typed", ["", "two hundred", "-5", "1.234"])
def test_an_unreadable_amount_names_its_field(typed: str) -> None:
    with pytest.raises(FormError, match=r"^Minimum spend: "):
        amount_minor(typed, "GBP", field="Minimum spend")


def test_the_form_shows_the_stored_values_and_saves_them_back_unchanged() -> None:
    shown = form_values(STORED, "GBP")
    form = {**shown, **TICKED}

    assert (shown["minimum_spend"], shown["reschedule_notice_days"]) == ("150", "3")
    assert shown["faq_bring"] == "Photo ID and a snack."
    assert settings_from_form(form, STORED) == STORED, "a field the form does not show is kept"


def test_an_unticked_box_turns_the_answer_off() -> None:
    form = {**form_values(STORED, "GBP"), "artist_does_colour": "on"}

    saved = settings_from_form(form, STORED)

    assert (saved["artist_does_cover_ups"], saved["artist_does_colour"]) == (False, True)


def test_a_last_reminder_of_zero_hours_is_refused() -> None:
    form = {**form_values(STORED, "GBP"), "final_reminder_hours": "0"}

    with pytest.raises(FormError, match=r"^Last reminder: "):
        settings_from_form(form, STORED)


def test_amounts_are_read_in_the_currency_picked_in_the_same_form() -> None:
    form = {**form_values(STORED, "GBP"), **TICKED, "artist_currency": "JPY", "minimum_spend": "20000"}

    saved = settings_from_form(form, STORED)

    assert (saved["artist_currency"], saved["minimum_spend_minor"]) == ("JPY", 20000)
    assert saved["deposit_by_size_minor"]["small"] == 50, "the deposit shown as 50 is 50 yen now"


@pytest.mark.parametrize(("field", "typed"), [("artist_language", "xx"), ("artist_currency", "ABC")])
def test_a_language_or_currency_not_in_the_lists_is_refused(field: str, typed: str) -> None:
    form = {**form_values(STORED, "GBP"), **TICKED, field: typed}

    with pytest.raises(FormError, match=r"pick one from the list"):
        settings_from_form(form, STORED)


def test_faq_answers_are_kept_as_written_and_an_emptied_box_brings_back_the_standard_answer() -> None:
    form = {
        **form_values(STORED, "GBP"),
        **TICKED,
        "faq_bring": "  ",
        "faq_price": "  Small pieces from £150.\nMost forearms £300-£500.  ",
    }

    saved = settings_from_form(form, STORED)

    assert saved["faq_answers"] == {"price": "Small pieces from £150.\nMost forearms £300-£500."}


def test_an_faq_answer_too_long_for_a_message_is_refused_with_its_question() -> None:
    form = {**form_values(STORED, "GBP"), **TICKED, "faq_bring": "x" * 1001}

    with pytest.raises(FormError, match=r"^What should I bring\? Keep the answer under 1000 characters"):
        settings_from_form(form, STORED)


def test_an_unticked_reminder_is_switched_off_and_keeps_its_time() -> None:
    form = {**form_values(STORED, "GBP"), **TICKED}
    del form["early_reminder_on"]

    saved = settings_from_form(form, STORED)

    assert (saved["appointment_early_reminder_on"], saved["appointment_final_reminder_on"]) == (False, True)
    assert saved["appointment_early_reminder_hours"] == 72.0
