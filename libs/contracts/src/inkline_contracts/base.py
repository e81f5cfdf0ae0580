"""Shared building blocks of message payloads."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Base of every payload: immutable, and tolerant of fields added by newer producers."""

    # Unknown fields are ignored so that a compatible schema change (a new optional field) never breaks
    # a consumer that has not been redeployed yet.
    model_config = ConfigDict(frozen=True, extra="ignore")


def _upper_currency(value: str) -> str:
    return value.upper()


Currency = Annotated[
    str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$"), AfterValidator(_upper_currency)
]
WaId = Annotated[
    str, Field(min_length=5, max_length=20, pattern=r"^\d+$", description="WhatsApp id (E.164 digits, no +)")
]


class Money(Contract):
    """An amount in integer minor units (pence, cents) with its ISO 4217 currency."""

    amount_minor: int = Field(ge=0)
    currency: Currency


class TimeRange(Contract):
    """A half-open interval [start, end) in absolute time."""

    start: AwareDatetime
    end: AwareDatetime


class SizeCategory(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    FULL_DAY = "full_day"
