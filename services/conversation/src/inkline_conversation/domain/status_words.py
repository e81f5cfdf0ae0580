"""Where a client is, in the words the artist reads (never the status names the code uses)."""

from __future__ import annotations

from inkline_conversation.domain.statuses import LeadStatus

S = LeadStatus
_WORDS: dict[LeadStatus, str] = {
    S.NEW: "just getting started",
    S.CONSULTING: "answering the questions",
    S.NEEDS_ARTIST: "waiting for you",
    S.BELOW_MINIMUM: "waiting for your decision (below your minimum)",
    S.TOUR_OFFERED: "deciding on your tour dates",
    S.WAITLISTED: "on your waitlist",
    S.QUALIFIED: "waiting for your decision",
    S.APPROVED: "approved, about to get your free times",
    S.REJECTED: "declined",
    S.SLOTS_OFFERED: "choosing a time",
    S.SLOT_HELD: "holding a time until they pay the deposit",
    S.DEPOSIT_REQUESTED: "due to pay the deposit",
    S.DEPOSIT_PAID: "paid, about to be booked",
    S.BOOKED: "booked",
    S.ABANDONED: "gone quiet",
    S.CANCELLED: "cancelled",
    S.NO_SHOW: "marked as a no-show",
}


def status_words(status: LeadStatus) -> str:
    return _WORDS[status]
