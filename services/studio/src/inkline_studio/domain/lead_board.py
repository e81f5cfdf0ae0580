"""The leads board: which column each status sits in, and how a lead and its actions read to the artist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inkline_studio.domain.wording import money


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    statuses: tuple[str, ...]


# Left to right as a lead moves; "Needs you" first, as that is why the artist opened the board.
COLUMNS = (
    Column(
        "needs_you", "Needs you", ("qualified", "needs_artist", "below_minimum", "waitlisted", "tour_offered")
    ),
    Column("talking", "In consultation", ("new", "consulting")),
    Column(
        "booking", "Booking", ("approved", "slots_offered", "slot_held", "deposit_requested", "deposit_paid")
    ),
    Column("booked", "Booked", ("booked",)),
    Column("closed", "Closed", ("rejected", "abandoned", "cancelled", "no_show")),
)

STATUS_WORDS = {
    "new": "New",
    "consulting": "Answering questions",
    "needs_artist": "Waiting for you",
    "below_minimum": "Below your minimum",
    "tour_offered": "Offered a tour date",
    "waitlisted": "On the waiting list",
    "qualified": "Ready for your decision",
    "approved": "Approved",
    "rejected": "Declined",
    "slots_offered": "Choosing a time",
    "slot_held": "Time held",
    "deposit_requested": "Deposit link sent",
    "deposit_paid": "Deposit paid",
    "booked": "Booked",
    "no_show": "Did not come",
    "abandoned": "Went quiet",
    "cancelled": "Cancelled",
}

# Button labels, in the order shown; "waive the fee" belongs to a cancellation's page, not the board.
ACTION_LABELS = {
    "approve": "Approve",
    "reject": "Decline",
    "send_deposit": "Send deposit link",
    "mark_booked": "Mark booked",
    "take_over": "Take over chat",
    "resume_bot": "Hand back to assistant",
    "no_show": "Did not come",
}

LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
}


def board_actions(allowed: list[str]) -> list[tuple[str, str]]:
    return [(action, label) for action, label in ACTION_LABELS.items() if action in allowed]


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


@dataclass(frozen=True)
class _Amount:
    amount_minor: int
    currency: str


def answer_lines(answers: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The consultation's answers as (question, answer) lines; what is missing is left out."""
    if not answers:
        return []
    lines: list[tuple[str, str]] = []
    for key, label in (("idea", "Idea"), ("placement", "Placement"), ("style", "Style")):
        if isinstance(answers.get(key), str):
            lines.append((label, answers[key]))
    size = answers.get("size_cm")
    if isinstance(size, list) and len(size) == 2:
        lines.append(("Size", f"{size[0]:g} x {size[1]:g} cm"))
    low, high = answers.get("budget_min"), answers.get("budget_max")
    if isinstance(low, dict) and isinstance(high, dict):
        low_text, high_text = money(_Amount(**low)), money(_Amount(**high))
        lines.append(("Budget", low_text if low_text == high_text else f"{low_text} to {high_text}"))
    if isinstance(answers.get("city"), str):
        lines.append(("City", answers["city"]))
    pictures = answers.get("reference_media_ids")
    if isinstance(pictures, list) and pictures:
        lines.append(("Pictures", f"{len(pictures)} sent"))
    return lines
