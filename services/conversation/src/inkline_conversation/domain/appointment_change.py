"""What a booked client is in the middle of changing: a reschedule or a cancellation, and its stage.

The lead stays BOOKED while a change is under way; `lead.appointment_change` stores this state through
domain/appointment_change_codec.py.

- reschedule: FINDING (slots asked) → CHOOSING (list shown) → HOLDING (hold asked) → MOVING (move asked);
  or COST_OFFERED when the policy says it is not free (keep the date, or ask the artist);
- cancellation: CONFIRMING (buttons shown).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from inkline_conversation.domain.appointment_policy import ChangeCost


class RescheduleStage(StrEnum):
    COST_OFFERED = "cost_offered"
    FINDING = "finding"
    CHOOSING = "choosing"
    HOLDING = "holding"
    MOVING = "moving"


class CancellationStage(StrEnum):
    CONFIRMING = "confirming"


@dataclass(frozen=True)
class Reschedule:
    stage: RescheduleStage
    # What the policy asked for (COST_OFFERED and after); None when the move is free.
    cost: ChangeCost | None = None
    # The picked slot (from HOLDING on) and the hold calendar placed on it (MOVING).
    slot_id: str | None = None
    hold_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Cancellation:
    stage: CancellationStage = CancellationStage.CONFIRMING


AppointmentChange = Reschedule | Cancellation
