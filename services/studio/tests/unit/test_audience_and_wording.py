"""The builder's audience form becomes campaigns' filter; codes and amounts read as words."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inkline_studio.domain.audience import AudienceForm, campaign_tag
from inkline_studio.domain.lead_board import COLUMNS, answer_lines, board_actions
from inkline_studio.domain.wording import money, recipient_label


class Amount:
    def __init__(self, amount_minor: int, currency: str) -> None:
        self.amount_minor, self.currency = amount_minor, currency


def test_past_clients_in_a_city_who_said_yes_become_one_filter() -> None:
    form = AudienceForm(group="past_clients", city=" Berlin ", style="", country="de", opted_in_only=True)

    assert form.segment_filter() == {"past_booked": True, "city": "Berlin", "country": "DE", "opted_in": True}
    assert form.describe() == "Past clients in Berlin in DE who said yes to news"


def test_everyone_is_the_empty_filter() -> None:
    assert AudienceForm().segment_filter() == {}


def test_an_unknown_group_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError, match="Past clients"):
        AudienceForm(group="vip")


def test_a_campaign_tag_is_a_slug_campaigns_accepts_and_differs_each_time() -> None:
    first, second = campaign_tag("Spring Flash Day! 🌸"), campaign_tag("Spring Flash Day! 🌸")

    assert first.startswith("spring-flash-day-")
    assert first != second
    assert campaign_tag("🌸").startswith("campaign-")


@pytest.mark.parametrize(
    ("amount", "currency", "reads"),
    [
        (15000, "GBP", "150.00 GBP"),
        (1234567, "EUR", "12,345.67 EUR"),
        (5000, "JPY", "5,000 JPY"),
        (5, "USD", "0.05 USD"),
    ],
)
def test_money_reads_in_major_units(amount: int, currency: str, reads: str) -> None:
    assert money(Amount(amount, currency)) == reads


def test_skipped_recipients_read_as_the_reason_they_were_left_out() -> None:
    assert recipient_label("skipped_opted_out") == "Left out: said stop"
    assert recipient_label("skipped_something_new") == "Skipped something new"


def test_every_lead_status_has_exactly_one_column() -> None:
    statuses = [status for column in COLUMNS for status in column.statuses]
    assert len(statuses) == len(set(statuses)) == 17


def test_a_leads_answers_read_as_lines_and_missing_ones_are_left_out() -> None:
    answers = {
        "idea": "a swallow",
        "size_cm": [10.0, 15.5],
        "budget_min": {"amount_minor": 40000, "currency": "GBP"},
        "budget_max": {"amount_minor": 40000, "currency": "GBP"},
        "reference_media_ids": ["m1", "m2"],
    }

    assert answer_lines(answers) == [
        ("Idea", "a swallow"),
        ("Size", "10 x 15.5 cm"),
        ("Budget", "400.00 GBP"),
        ("Pictures", "2 sent"),
    ]
    assert answer_lines(None) == []


def test_the_board_offers_the_allowed_actions_in_a_fixed_order_without_the_fee_waiver() -> None:
    assert board_actions(["take_over", "waive_fee", "approve"]) == [
        ("approve", "Approve"),
        ("take_over", "Take over chat"),
    ]
