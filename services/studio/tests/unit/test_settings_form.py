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
    form = {**shown, "artist_does_cover_ups": "on", "artist_does_colour": "on"}

    assert (shown["minimum_spend"], shown["reschedule_notice_days"]) == ("150", "3")
    assert settings_from_form(form, STORED, "GBP") == STORED, "a field the form does not show is kept"


def test_an_unticked_box_turns_the_answer_off() -> None:
    form = {**form_values(STORED, "GBP"), "artist_does_colour": "on"}

    saved = settings_from_form(form, STORED, "GBP")

    assert (saved["artist_does_cover_ups"], saved["artist_does_colour"]) == (False, True)


def test_a_last_reminder_of_zero_hours_is_refused() -> None:
    form = {**form_values(STORED, "GBP"), "final_reminder_hours": "0"}

    with pytest.raises(FormError, match=r"^Last reminder: "):
        settings_from_form(form, STORED, "GBP")
