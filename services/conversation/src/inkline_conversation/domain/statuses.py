"""The lead lifecycle: statuses, the one table of allowed transitions, and which artist actions apply when."""

from __future__ import annotations

from enum import StrEnum


class LeadStatus(StrEnum):
    """Where a lead is in its life; consent (opt-out) is tracked separately, not as a status."""

    NEW = "new"
    CONSULTING = "consulting"
    NEEDS_ARTIST = "needs_artist"
    BELOW_MINIMUM = "below_minimum"
    TOUR_OFFERED = "tour_offered"
    WAITLISTED = "waitlisted"
    QUALIFIED = "qualified"
    APPROVED = "approved"
    REJECTED = "rejected"
    SLOTS_OFFERED = "slots_offered"
    SLOT_HELD = "slot_held"
    DEPOSIT_REQUESTED = "deposit_requested"
    DEPOSIT_PAID = "deposit_paid"
    BOOKED = "booked"
    ABANDONED = "abandoned"
    CANCELLED = "cancelled"
    # The client did not come to the booked session; final, and kept so campaigns can leave them out.
    NO_SHOW = "no_show"


class InvalidTransitionError(Exception):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: LeadStatus, target: LeadStatus) -> None:
        super().__init__(f"cannot move a lead from {current.value} to {target.value}")
        self.current = current
        self.target = target


# The brief and callers know it as InvalidTransition; the Error suffix keeps ruff's naming rule happy.
InvalidTransition = InvalidTransitionError


class Purpose(StrEnum):
    """Why the lead asked calendar for slots or a hold: the same answer means a different step for each."""

    QUALIFY = "qualify"  # where is the artist during the client's dates (consultation's end)
    OFFER = "offer"  # times for the client to pick from, then hold, deposit, booking
    RESCHEDULE = "reschedule"  # new times for a booked client, then hold and move


class ActionRefusedError(Exception):
    """An artist action cannot be done for a business reason; the message is shown to the artist as is."""


S = LeadStatus
# Every edge of the lifecycle. A status absent from a set cannot be reached from the key directly.
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    S.NEW: frozenset({S.CONSULTING, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}),
    S.CONSULTING: frozenset(
        {S.QUALIFIED, S.NEEDS_ARTIST, S.BELOW_MINIMUM, S.TOUR_OFFERED, S.WAITLISTED, S.ABANDONED, S.CANCELLED}
    ),
    # The artist may hand the chat back to wherever the bot was, so every open status is reachable.
    S.NEEDS_ARTIST: frozenset(
        {
            S.CONSULTING,
            S.BELOW_MINIMUM,
            S.TOUR_OFFERED,
            S.WAITLISTED,
            S.SLOT_HELD,
            S.DEPOSIT_PAID,
            S.QUALIFIED,
            S.APPROVED,
            S.REJECTED,
            S.SLOTS_OFFERED,
            S.DEPOSIT_REQUESTED,
            S.BOOKED,
            S.ABANDONED,
            S.CANCELLED,
        }
    ),
    S.BELOW_MINIMUM: frozenset(
        {S.CONSULTING, S.QUALIFIED, S.NEEDS_ARTIST, S.APPROVED, S.REJECTED, S.ABANDONED, S.CANCELLED}
    ),
    S.TOUR_OFFERED: frozenset(
        {S.CONSULTING, S.QUALIFIED, S.WAITLISTED, S.NEEDS_ARTIST, S.REJECTED, S.ABANDONED, S.CANCELLED}
    ),
    S.WAITLISTED: frozenset(
        {
            S.CONSULTING,
            S.QUALIFIED,
            S.TOUR_OFFERED,
            S.NEEDS_ARTIST,
            S.APPROVED,
            S.REJECTED,
            S.ABANDONED,
            S.CANCELLED,
        }
    ),
    S.QUALIFIED: frozenset({S.APPROVED, S.REJECTED, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}),
    # An artist may reconsider a rejection; everything else about a rejected lead is final.
    S.REJECTED: frozenset({S.APPROVED, S.NEEDS_ARTIST}),
    S.APPROVED: frozenset(
        {S.SLOTS_OFFERED, S.DEPOSIT_REQUESTED, S.BOOKED, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}
    ),
    # Re-offering replaces expired or declined slots, so SLOTS_OFFERED may follow itself.
    # A deposit paid after its hold lapsed can still be booked when the calendar re-holds the slot.
    S.SLOTS_OFFERED: frozenset(
        {S.SLOTS_OFFERED, S.SLOT_HELD, S.DEPOSIT_PAID, S.BOOKED, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}
    ),
    S.SLOT_HELD: frozenset(
        {S.DEPOSIT_REQUESTED, S.SLOTS_OFFERED, S.BOOKED, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}
    ),
    S.DEPOSIT_REQUESTED: frozenset(
        {S.DEPOSIT_PAID, S.SLOTS_OFFERED, S.BOOKED, S.NEEDS_ARTIST, S.ABANDONED, S.CANCELLED}
    ),
    S.DEPOSIT_PAID: frozenset({S.BOOKED, S.NEEDS_ARTIST, S.CANCELLED}),
    S.BOOKED: frozenset({S.CANCELLED, S.NEEDS_ARTIST, S.NO_SHOW}),
    S.ABANDONED: frozenset({S.CONSULTING, S.NEEDS_ARTIST}),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}


def can_transition(current: LeadStatus, target: LeadStatus) -> bool:
    """Whether the lifecycle allows moving from current to target."""
    return target in TRANSITIONS[current]


def transition(current: LeadStatus, target: LeadStatus) -> LeadStatus:
    """Return target if the move is allowed, else raise InvalidTransitionError."""
    if not can_transition(current, target):
        raise InvalidTransitionError(current, target)
    return target


class ActionKind(StrEnum):
    """What an artist can do to a lead from their action links."""

    APPROVE = "approve"
    REJECT = "reject"
    SEND_DEPOSIT = "send_deposit"
    MARK_BOOKED = "mark_booked"
    TAKE_OVER = "take_over"
    RESUME_BOT = "resume_bot"
    NO_SHOW = "no_show"
    # Let a late reschedule be free, or refund a kept deposit after a late cancellation.
    WAIVE_FEE = "waive_fee"


_OPEN = frozenset(TRANSITIONS) - {S.NEEDS_ARTIST, S.CANCELLED, S.NO_SHOW}
# For each action: the statuses it may be used in, and the status it leads to. RESUME_BOT has no fixed
# target: the bot resumes where it left off (CONSULTING while answers are missing, else the prior status).
ACTIONS: dict[ActionKind, tuple[frozenset[LeadStatus], LeadStatus | None]] = {
    ActionKind.APPROVE: (
        frozenset({S.QUALIFIED, S.NEEDS_ARTIST, S.BELOW_MINIMUM, S.WAITLISTED, S.REJECTED}),
        S.APPROVED,
    ),
    ActionKind.REJECT: (
        frozenset({S.QUALIFIED, S.NEEDS_ARTIST, S.BELOW_MINIMUM, S.TOUR_OFFERED, S.WAITLISTED}),
        S.REJECTED,
    ),
    ActionKind.SEND_DEPOSIT: (frozenset({S.APPROVED, S.SLOT_HELD, S.NEEDS_ARTIST}), S.DEPOSIT_REQUESTED),
    ActionKind.MARK_BOOKED: (
        frozenset({S.APPROVED, S.SLOT_HELD, S.DEPOSIT_REQUESTED, S.DEPOSIT_PAID, S.NEEDS_ARTIST}),
        S.BOOKED,
    ),
    ActionKind.TAKE_OVER: (_OPEN, S.NEEDS_ARTIST),
    ActionKind.RESUME_BOT: (frozenset({S.NEEDS_ARTIST}), None),
    ActionKind.NO_SHOW: (frozenset({S.BOOKED}), S.NO_SHOW),
    ActionKind.WAIVE_FEE: (frozenset({S.BOOKED, S.NEEDS_ARTIST, S.CANCELLED}), None),
}


def action_allowed(action: ActionKind, status: LeadStatus) -> bool:
    """Whether the artist may take this action while the lead is in this status."""
    return status in ACTIONS[action][0]


def apply_action(
    action: ActionKind, status: LeadStatus, *, resume_to: LeadStatus | None = None
) -> LeadStatus:
    """The status after the action; RESUME_BOT needs `resume_to`. Raises InvalidTransitionError."""
    allowed, target = ACTIONS[action]
    destination = target if target is not None else resume_to
    if status not in allowed or destination is None:
        raise InvalidTransitionError(status, destination or status)
    return transition(status, destination)
