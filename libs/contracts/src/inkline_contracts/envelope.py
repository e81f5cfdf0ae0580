"""The envelope every message travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from inkline_contracts.base import Contract

if TYPE_CHECKING:
    from inkline_contracts.subjects import Subject

P = TypeVar("P", bound=Contract)


class Envelope(BaseModel, Generic[P]):
    """Metadata shared by all messages plus the typed payload.

    `message_id` doubles as JetStream's `Nats-Msg-Id` (publish de-duplication) and as the key of every
    consumer's idempotent inbox. `correlation_id` is the lead id throughout a booking journey.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: uuid.UUID
    occurred_at: AwareDatetime
    correlation_id: str = Field(min_length=1)
    causation_id: uuid.UUID | None = None
    type: str = Field(description="the subject the message was published on")
    payload: P


def new_envelope(
    subject: Subject[P],
    payload: P,
    *,
    correlation_id: str,
    causation_id: uuid.UUID | None = None,
    message_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope[P]:
    """Wrap a payload for `subject`, refusing a payload of the wrong model."""
    if not isinstance(payload, subject.payload):
        raise TypeError(f"{subject.name} carries {subject.payload.__name__}, not {type(payload).__name__}")
    return Envelope[P](
        message_id=message_id or uuid.uuid4(),
        occurred_at=occurred_at or datetime.now(UTC),
        correlation_id=correlation_id,
        causation_id=causation_id,
        type=subject.name,
        payload=payload,
    )
