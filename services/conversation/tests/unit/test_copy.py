import re

import pytest

from inkline_conversation.domain.consultation import REPLY_KEYS
from inkline_conversation.domain.copy import Copy, MissingPlaceholderError, UnknownCopyKeyError
from inkline_conversation.domain.money import SYMBOLS, Money, format_money

ENGLISH = Copy.load("en")
ENGLISH_KEYS = ENGLISH.keys()


def test_every_key_the_state_machine_emits_exists_in_english() -> None:
    assert set() == REPLY_KEYS - ENGLISH_KEYS


def test_every_field_has_a_question_and_every_failing_field_a_repair_with_an_example() -> None:
    for field in ("idea", "placement", "size", "budget", "location", "windows", "instagram"):
        assert f"question.{field}" in ENGLISH_KEYS
        repair = ENGLISH.render(
            f"repair.{field}",
            artist_name="Kat",
            example_low=Money(30000, "GBP"),
            example_high=Money(50000, "GBP"),
        )
        assert "e.g." in repair or "like" in repair, field


def test_templates_never_put_a_currency_symbol_before_a_placeholder() -> None:
    symbols = "".join(re.escape(symbol[-1]) for symbol in SYMBOLS.values())
    for key in ENGLISH_KEYS:
        assert not re.search(rf"[{symbols}]\{{", ENGLISH.texts[key]), key


def test_money_renders_with_a_single_symbol() -> None:
    text = ENGLISH.render("consultation.below_minimum", artist_name="Kat", minimum=Money(80000, "GBP"))

    assert "£800," in text
    assert "££" not in text


def test_render_refuses_to_leave_a_placeholder_unfilled() -> None:
    with pytest.raises(MissingPlaceholderError):
        ENGLISH.render("consultation.below_minimum", artist_name="Kat")


def test_unknown_keys_and_languages_fail_loudly() -> None:
    with pytest.raises(UnknownCopyKeyError):
        ENGLISH.render("question.favourite_colour")
    with pytest.raises(UnknownCopyKeyError):
        Copy.load("xx")
    with pytest.raises(UnknownCopyKeyError):
        Copy.load("../secrets")


def test_placeholders_are_listed_per_key() -> None:
    assert ENGLISH.placeholders("booking.deposit_requested") == {"deposit", "hold_expires", "payment_link"}


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(80000, "GBP"), "£800"),
        (Money(125050, "EUR"), "€1,250.50"),
        (Money(9900, "USD"), "$99"),
        (Money(5000, "JPY"), "¥5,000"),
        (Money(20000, "SEK"), "200 SEK"),
    ],
)
def test_format_money_uses_one_symbol_and_decimals_only_when_needed(money: Money, text: str) -> None:
    assert format_money(money) == text
