"""Converting AppointmentChange to and from the JSON kept in `lead.appointment_change`.

The stored shape is the one rows already hold: `{"kind": "reschedule"|"cancel", "stage": …}` plus, for a
reschedule, `cost`, `slot_id` and `hold_id` once known. Unknown kinds or stages read as no change at all,
as the untyped code treated them.
"""

from __future__ import annotations

import uuid
from typing import Any

from inkline_conversation.domain.appointment_change import (
    AppointmentChange,
    Cancellation,
    CancellationStage,
    Reschedule,
    RescheduleStage,
)
from inkline_conversation.domain.appointment_policy import ChangeCost

RESCHEDULE_KIND = "reschedule"
CANCEL_KIND = "cancel"
JsonDict = dict[str, Any]


def change_to_dict(change: AppointmentChange | None) -> JsonDict | None:
    if change is None:
        return None
    if isinstance(change, Cancellation):
        return {"kind": CANCEL_KIND, "stage": change.stage.value}
    data: JsonDict = {"kind": RESCHEDULE_KIND, "stage": change.stage.value}
    if change.cost is not None:
        data["cost"] = change.cost.value
    if change.slot_id is not None:
        data["slot_id"] = change.slot_id
    if change.hold_id is not None:
        data["hold_id"] = str(change.hold_id)
    return data


def change_from_dict(data: JsonDict | None) -> AppointmentChange | None:
    if not data:
        return None
    kind, stage = data.get("kind"), data.get("stage")
    if kind == CANCEL_KIND:
        return (
            Cancellation(stage=CancellationStage(stage))
            if stage in set(CancellationStage)
            else Cancellation()
        )
    if kind != RESCHEDULE_KIND or stage not in set(RescheduleStage):
        return None
    cost, slot_id, hold_id = data.get("cost"), data.get("slot_id"), data.get("hold_id")
    return Reschedule(
        stage=RescheduleStage(stage),
        cost=ChangeCost(cost) if cost in set(ChangeCost) else None,
        slot_id=str(slot_id) if slot_id is not None else None,
        hold_id=uuid.UUID(str(hold_id)) if hold_id is not None else None,
    )
