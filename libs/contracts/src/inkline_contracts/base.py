"""Shared building blocks of message payloads."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator


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

# Meta's business-scoped user ID: an ISO 3166 alpha-2 country code, a dot, up to 128 alphanumerics; the
# "parent" form shared by linked portfolios has `ENT.` after the country (`US.ENT.1181...`).
# https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
BSUID_PATTERN = r"[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}"
Bsuid = Annotated[
    str,
    Field(
        min_length=4,
        max_length=135,
        pattern=rf"^{BSUID_PATTERN}$",
        description="WhatsApp business-scoped user ID, e.g. US.13491208655302741918",
    ),
]
ClientAddress = Annotated[
    str,
    Field(
        min_length=4,
        max_length=135,
        pattern=rf"^(?:\d{{5,20}}|{BSUID_PATTERN})$",
        description="how Inkline knows a WhatsApp client: their phone (E.164 digits, no +) or, for a client "
        "who hides it behind a username, their business-scoped user ID; one person keeps one address",
    ),
]
USERNAME_MAX_LENGTH = 64


def is_phone(address: str) -> bool:
    """A client address is a phone number (digits) or else a business-scoped user ID."""
    return address.isdigit()


class ClientIdentity(Contract):
    """What Meta has told us about who a client is: a phone number, a BSUID, or both, and a username."""

    phone: WaId | None = None
    bsuid: Bsuid | None = None
    username: str | None = Field(default=None, max_length=USERNAME_MAX_LENGTH)

    @model_validator(mode="after")
    def _reachable(self) -> ClientIdentity:
        if self.phone is None and self.bsuid is None:
            raise ValueError("a client needs a phone number or a business-scoped user ID")
        return self


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
