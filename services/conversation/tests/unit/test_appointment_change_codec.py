import uuid
from typing import Any

import pytest

from inkline_conversation.domain.appointment_change import (
    AppointmentChange,
    Cancellation,
    Reschedule,
    RescheduleStage,
)
from inkline_conversation.domain.appointment_change_codec import change_from_dict, change_to_dict
from inkline_conversation.domain.appointment_policy import ChangeCost

HOLD_ID = uuid.UUID("5b0f3c1e-8d7a-4c2b-9f10-2a6b3c4d5e6f")

# The shapes rows already hold, as the untyped code wrote them, and what they read as.
STORED: list[tuple[dict[str, Any], AppointmentChange]] = [
    ({"kind": "reschedule", "stage": "finding"}, Reschedule(stage=RescheduleStage.FINDING)),
    (
        {"kind": "reschedule", "stage": "cost_offered", "cost": "late"},
        Reschedule(stage=RescheduleStage.COST_OFFERED, cost=ChangeCost.LATE),
    ),
    ({"kind": "reschedule", "stage": "choosing"}, Reschedule(stage=RescheduleStage.CHOOSING)),
    (
        {"kind": "reschedule", "stage": "holding", "slot_id": "slot-3"},
        Reschedule(stage=RescheduleStage.HOLDING, slot_id="slot-3"),
    ),
    (
        {"kind": "reschedule", "stage": "moving", "slot_id": "slot-3", "hold_id": str(HOLD_ID)},
        Reschedule(stage=RescheduleStage.MOVING, slot_id="slot-3", hold_id=HOLD_ID),
    ),
    ({"kind": "cancel", "stage": "confirming"}, Cancellation()),
]


@pytest.mark.parametrize(("stored", "change"), STORED)
def test_rows_written_before_the_typed_state_read_as_the_same_change(
    stored: dict[str, Any], change: AppointmentChange
) -> None:
    assert change_from_dict(stored) == change


@pytest.mark.parametrize(("stored", "change"), STORED)
def test_a_change_is_stored_in_the_shape_rows_already_hold(
    stored: dict[str, Any], change: AppointmentChange
) -> None:
    assert change_to_dict(change) == stored


@pytest.mark.parametrize(
    "stored",
    [None, {}, {"kind": "refund", "stage": "finding"}, {"kind": "reschedule", "stage": "teleporting"}],
)
def test_no_or_unknown_change_reads_as_none(stored: dict[str, Any] | None) -> None:
    assert change_from_dict(stored) is None


def test_no_change_is_stored_as_null() -> None:
    assert change_to_dict(None) is None
