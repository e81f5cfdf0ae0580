from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from inkline_contracts.base import Money, SizeCategory
from inkline_payments.domain.amounts import DepositPolicy, DepositRule, NoDepositRuleError
from inkline_payments.settings import PaymentsSettings


def test_fixed_rules_give_the_configured_amount_in_the_configured_currency() -> None:
    policy = DepositPolicy(currency="eur", rules={SizeCategory.SMALL: DepositRule(fixed_minor=4_000)})
    assert policy.amount_for(SizeCategory.SMALL, None) == Money(amount_minor=4_000, currency="EUR")


def test_a_percentage_rule_takes_its_share_of_the_quote_rounded_half_up_in_the_quotes_currency() -> None:
    policy = DepositPolicy(rules={SizeCategory.LARGE: DepositRule(percent=Decimal("12.5"))})
    quote = Money(amount_minor=100_004, currency="USD")
    assert policy.amount_for(SizeCategory.LARGE, quote) == Money(amount_minor=12_501, currency="USD")


def test_a_percentage_never_goes_below_the_minimum() -> None:
    policy = DepositPolicy(rules={SizeCategory.SMALL: DepositRule(percent=Decimal(20), minimum_minor=5_000)})
    quote = Money(amount_minor=10_000, currency="GBP")
    assert policy.amount_for(SizeCategory.SMALL, quote).amount_minor == 5_000


def test_without_a_quote_a_percentage_rule_falls_back_to_its_fixed_amount() -> None:
    policy = DepositPolicy(rules={SizeCategory.MEDIUM: DepositRule(percent=Decimal(30), fixed_minor=9_000)})
    assert policy.amount_for(SizeCategory.MEDIUM, None).amount_minor == 9_000


def test_an_unpriceable_deposit_is_a_clear_error() -> None:
    policy = DepositPolicy(rules={SizeCategory.LARGE: DepositRule(percent=Decimal(30))})
    with pytest.raises(NoDepositRuleError, match="percentage of the quote"):
        policy.amount_for(SizeCategory.LARGE, None)
    with pytest.raises(NoDepositRuleError, match="no deposit rule for size small"):
        policy.amount_for(SizeCategory.SMALL, None)


def test_a_rule_with_no_amount_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="fixed_minor, percent, or both"):
        DepositRule()


def test_rules_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPOSITS", '{"currency": "eur", "rules": {"full_day": {"percent": 25}}}')
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:12111")  # the sandbox asks where its Stripe is
    settings = PaymentsSettings()
    quote = Money(amount_minor=80_000, currency="EUR")
    assert settings.deposits.amount_for(SizeCategory.FULL_DAY, quote).amount_minor == 20_000


def test_a_deposit_the_artist_set_replaces_that_sizes_rule_even_a_percentage_and_not_the_others() -> None:
    policy = DepositPolicy(
        currency="GBP",
        rules={
            SizeCategory.SMALL: DepositRule(fixed_minor=5_000),
            SizeCategory.LARGE: DepositRule(percent=Decimal(20)),
        },
    )
    artists = policy.as_artist_set("EUR", {SizeCategory.LARGE: 18_000})
    quote = Money(amount_minor=100_000, currency="EUR")

    assert artists.amount_for(SizeCategory.LARGE, quote) == Money(amount_minor=18_000, currency="EUR")
    assert artists.amount_for(SizeCategory.SMALL, None) == Money(amount_minor=5_000, currency="EUR")
