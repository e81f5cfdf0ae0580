"""How much deposit a tattoo asks for: a fixed amount, or a percentage of the artist's quote."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inkline_contracts.base import Currency, Money, SizeCategory


class DepositRule(BaseModel):
    """`percent` of the quote when one is given (never below `minimum_minor`), else `fixed_minor`."""

    model_config = ConfigDict(frozen=True)

    fixed_minor: int | None = Field(default=None, gt=0)
    percent: Decimal | None = Field(default=None, gt=0, le=100)
    minimum_minor: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _some_amount(self) -> DepositRule:
        if self.fixed_minor is None and self.percent is None:
            raise ValueError("a deposit rule needs fixed_minor, percent, or both")
        return self


class DepositPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    currency: Currency = "GBP"
    rules: dict[SizeCategory, DepositRule] = Field(
        default_factory=lambda: {
            SizeCategory.SMALL: DepositRule(fixed_minor=5_000),
            SizeCategory.MEDIUM: DepositRule(fixed_minor=10_000),
            SizeCategory.LARGE: DepositRule(fixed_minor=15_000),
            SizeCategory.FULL_DAY: DepositRule(fixed_minor=20_000),
        }
    )

    def as_artist_set(self, currency: str, by_size: Mapping[SizeCategory, int]) -> DepositPolicy:
        """These rules in the artist's saved currency, with the fixed deposit they set for each size.

        A size the artist set is charged exactly that (a percentage rule for it gives way); the others keep
        the deployment's rule, now read in the artist's currency.
        """
        rules = {**self.rules, **{size: DepositRule(fixed_minor=amount) for size, amount in by_size.items()}}
        return self.model_copy(update={"currency": currency, "rules": rules})

    def amount_for(self, size: SizeCategory, quote: Money | None) -> Money:
        """The deposit for a tattoo of `size`; raises `NoDepositRuleError` when none can be worked out."""
        rule = self.rules.get(size)
        if rule is None:
            raise NoDepositRuleError(f"no deposit rule for size {size.value}")
        if rule.percent is not None and quote is not None:
            share = (Decimal(quote.amount_minor) * rule.percent / 100).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
            return Money(amount_minor=max(int(share), rule.minimum_minor), currency=quote.currency)
        if rule.fixed_minor is None:
            raise NoDepositRuleError(f"size {size.value} takes a percentage of the quote, and none was given")
        return Money(amount_minor=rule.fixed_minor, currency=self.currency)


class NoDepositRuleError(ValueError):
    """The configuration cannot price this deposit; the lead needs the artist, not a retry."""
