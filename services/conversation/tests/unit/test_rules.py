from inkline_conversation.domain.money import Money
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.rules import (
    MinimumCheck,
    MinimumSpendPolicy,
    SizeCategory,
    SizingRules,
    check_minimum_spend,
    estimate_size_category,
)

WRIST = Placement(area="wrist", side=None, description="wrist")
BACK = Placement(area="back", side=None, description="on my back")
SLEEVE = Placement(area="full sleeve", side="left", description="left sleeve")


def test_area_thresholds_pick_the_category() -> None:
    assert estimate_size_category(size=Size(5.0)) is SizeCategory.SMALL
    assert estimate_size_category(size=Size(15.0, 10.0)) is SizeCategory.MEDIUM
    assert estimate_size_category(size=Size(20.0, 15.0)) is SizeCategory.LARGE
    assert estimate_size_category(size=Size(30.0, 20.0)) is SizeCategory.FULL_DAY


def test_a_big_placement_pushes_a_piece_up_one_category() -> None:
    assert estimate_size_category(size=Size(10.0, 10.0), placement=WRIST) is SizeCategory.MEDIUM
    assert estimate_size_category(size=Size(10.0, 10.0), placement=BACK) is SizeCategory.LARGE


def test_a_sleeve_is_always_a_full_day() -> None:
    assert estimate_size_category(size=Size(5.0), placement=SLEEVE) is SizeCategory.FULL_DAY


def test_realism_or_a_portrait_in_the_idea_pushes_up_one_category() -> None:
    assert estimate_size_category(size=Size(6.0), styles=("realism",)) is SizeCategory.MEDIUM
    assert estimate_size_category(size=Size(6.0), idea="Portrait of my nan") is SizeCategory.MEDIUM


def test_placement_and_complexity_add_up_but_cap_at_full_day() -> None:
    result = estimate_size_category(size=Size(20.0, 15.0), placement=BACK, styles=("realism",))

    assert result is SizeCategory.FULL_DAY


def test_thresholds_are_configurable() -> None:
    generous = SizingRules(small_max_cm2=200.0)

    assert estimate_size_category(size=Size(12.0, 12.0), rules=generous) is SizeCategory.SMALL


POLICY = MinimumSpendPolicy(currency="GBP", default_minor=15000, by_country={"GB": 20000, "US": 30000})


def test_budget_max_below_the_regional_minimum_is_flagged() -> None:
    budget = BudgetRange(min_minor=10000, max_minor=18000, currency="GBP")

    assert check_minimum_spend(budget, country_code="GB", policy=POLICY) is MinimumCheck.BELOW
    assert check_minimum_spend(budget, country_code="FR", policy=POLICY) is MinimumCheck.MEETS


def test_the_budget_max_counts_not_the_min() -> None:
    budget = BudgetRange(min_minor=10000, max_minor=20000, currency="GBP")

    assert check_minimum_spend(budget, country_code="gb", policy=POLICY) is MinimumCheck.MEETS


def test_a_budget_in_another_currency_is_not_compared() -> None:
    budget = BudgetRange(min_minor=10000, max_minor=10000, currency="EUR")

    assert check_minimum_spend(budget, country_code="GB", policy=POLICY) is MinimumCheck.CURRENCY_MISMATCH


def test_unknown_countries_use_the_default_minimum() -> None:
    assert POLICY.minimum_for("NZ") == Money(minor=15000, currency="GBP")
    assert POLICY.minimum_for(None) == Money(minor=15000, currency="GBP")
