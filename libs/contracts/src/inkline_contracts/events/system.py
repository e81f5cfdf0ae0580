"""Operational signals that a person should look at."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from inkline_contracts.base import Contract


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class SystemAlert(Contract):
    service: str
    kind: str
    message: str
    severity: Severity = Severity.WARNING
    details: dict[str, str] = Field(default_factory=dict)


class DeadLettered(Contract):
    """A message a consumer gave up on, with enough to inspect and replay it."""

    service: str
    consumer: str
    original_subject: str
    original_message_id: str | None = None
    deliveries: int
    error: str
    data: str = Field(description="the original message body, as UTF-8 text (replacement chars if binary)")
