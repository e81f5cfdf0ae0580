"""Business rules applied to consultation answers: size category and the minimum-spend check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inkline_conversation.domain.money import Money
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.style import find_styles
from inkline_conversation.domain.parsing.text import normalise, phrase_pattern


class SizeCategory(StrEnum):
    """How much of the artist's day a piece needs; values match inkline_contracts.base.SizeCategory."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    FULL_DAY = "full_day"


_ORDER = (SizeCategory.SMALL, SizeCategory.MEDIUM, SizeCategory.LARGE, SizeCategory.FULL_DAY)


@dataclass(frozen=True, slots=True)
class SizingRules:
    """Area thresholds (cm², upper bounds inclusive) and the words that push a piece up a category."""

    small_max_cm2: float = 50.0
    medium_max_cm2: float = 150.0
    large_max_cm2: float = 400.0
    # Large canvases take longer per cm² (stencil placement, curvature, breaks).
    bigger_placements: frozenset[str] = frozenset(
        {"back", "upper back", "chest", "ribs", "thigh", "stomach", "spine", "sternum", "hip"}
    )
    full_day_placements: frozenset[str] = frozenset(
        {"full sleeve", "half sleeve", "leg sleeve", "full back", "chest piece"}
    )
    complex_styles: frozenset[str] = frozenset(
        {"realism", "micro realism", "portrait", "japanese", "watercolour"}
    )
    complex_words: frozenset[str] = frozenset(
        {"photo realistic", "portrait", "realistic", "detailed", "shading"}
    )


def _bump(category: SizeCategory, steps: int) -> SizeCategory:
    return _ORDER[min(_ORDER.index(category) + steps, len(_ORDER) - 1)]


def estimate_size_category(
    *,
    size: Size,
    placement: Placement | None = None,
    styles: tuple[str, ...] = (),
    idea: str = "",
    rules: SizingRules = SizingRules(),
) -> SizeCategory:
    """Estimate the session length from area, then push up for big placements and complex styles."""
    area = size.area_cm2
    if area <= rules.small_max_cm2:
        category = SizeCategory.SMALL
    elif area <= rules.medium_max_cm2:
        category = SizeCategory.MEDIUM
    elif area <= rules.large_max_cm2:
        category = SizeCategory.LARGE
    else:
        category = SizeCategory.FULL_DAY
    area_name = placement.area if placement is not None else None
    if area_name in rules.full_day_placements:
        return SizeCategory.FULL_DAY
    steps = 0
    if area_name in rules.bigger_placements:
        steps += 1
    idea_text = normalise(idea)
    all_styles = set(styles) | set(find_styles(idea))
    if all_styles & rules.complex_styles or any(
        phrase_pattern(word).search(idea_text) for word in rules.complex_words
    ):
        steps += 1
    return _bump(category, steps)


@dataclass(frozen=True, slots=True)
class MinimumSpendPolicy:
    """The artist's minimum spend per client country (ISO alpha-2), in the artist's currency."""

    currency: str
    default_minor: int
    by_country: Mapping[str, int] = field(default_factory=dict)

    def minimum_for(self, country_code: str | None) -> Money:
        """The minimum that applies to a client in this country."""
        minor = self.by_country.get((country_code or "").upper(), self.default_minor)
        return Money(minor=minor, currency=self.currency)


class MinimumCheck(StrEnum):
    """Outcome of comparing a budget to the minimum spend."""

    MEETS = "meets"
    BELOW = "below"
    # The client quoted another currency; we don't convert, so the artist judges it.
    CURRENCY_MISMATCH = "currency_mismatch"


def check_minimum_spend(
    budget: BudgetRange, *, country_code: str | None, policy: MinimumSpendPolicy
) -> MinimumCheck:
    """Compare the top of the client's budget with the minimum for their region."""
    minimum = policy.minimum_for(country_code)
    if budget.currency.upper() != minimum.currency.upper():
        return MinimumCheck.CURRENCY_MISMATCH
    return MinimumCheck.BELOW if budget.max_minor < minimum.minor else MinimumCheck.MEETS
