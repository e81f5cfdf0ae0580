"""A campaign's lifecycle: draft → scheduled → sending → done, pausable and cancellable."""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


class Action(StrEnum):
    LAUNCH = "launch"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"


class TransitionError(ValueError):
    pass


_ALLOWED: dict[tuple[CampaignStatus, Action], CampaignStatus] = {
    (CampaignStatus.DRAFT, Action.LAUNCH): CampaignStatus.SCHEDULED,
    (CampaignStatus.SCHEDULED, Action.PAUSE): CampaignStatus.PAUSED,
    (CampaignStatus.SENDING, Action.PAUSE): CampaignStatus.PAUSED,
    # A resumed campaign goes back to scheduled; the dispatcher moves it on to sending (snapshotting the
    # audience only if it never did).
    (CampaignStatus.PAUSED, Action.RESUME): CampaignStatus.SCHEDULED,
    (CampaignStatus.DRAFT, Action.CANCEL): CampaignStatus.CANCELLED,
    (CampaignStatus.SCHEDULED, Action.CANCEL): CampaignStatus.CANCELLED,
    (CampaignStatus.SENDING, Action.CANCEL): CampaignStatus.CANCELLED,
    (CampaignStatus.PAUSED, Action.CANCEL): CampaignStatus.CANCELLED,
}


def transition(status: CampaignStatus, action: Action) -> CampaignStatus:
    try:
        return _ALLOWED[(status, action)]
    except KeyError:
        raise TransitionError(f"a {status.value} campaign cannot be {_PAST[action]}") from None


_PAST = {
    Action.LAUNCH: "launched",
    Action.PAUSE: "paused",
    Action.RESUME: "resumed",
    Action.CANCEL: "cancelled",
}

EDITABLE = frozenset({CampaignStatus.DRAFT})
