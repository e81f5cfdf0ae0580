"""The artist's short daily digest: new leads, decisions waiting, today's sessions, deposits paid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

_NAMES_LISTED = 5


@dataclass(frozen=True)
class Session:
    start: datetime  # on the artist's clock
    name: str
    idea: str


@dataclass(frozen=True)
class DigestFacts:
    day: date
    new_leads: int
    waiting: Sequence[str] = field(default_factory=list)  # clients waiting for the artist's decision
    sessions: Sequence[Session] = field(default_factory=list)
    deposits_paid: int = 0


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_NAMES_LISTED])
    more = len(names) - _NAMES_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def render_digest(facts: DigestFacts) -> str | None:
    """The digest, or None on a day with nothing to say (no message is better than an empty one)."""
    if not (facts.new_leads or facts.waiting or facts.sessions or facts.deposits_paid):
        return None
    lines = [f"*Your day, {facts.day:%a} {facts.day.day} {facts.day:%b}*"]
    if facts.sessions:
        lines.append("*Today:* " + "; ".join(f"{s.start:%H:%M} {s.name} ({s.idea})" for s in facts.sessions))
    if facts.waiting:
        lines.append(f"*Waiting for your decision:* {_names(facts.waiting)}")
    if facts.new_leads:
        lines.append(f"*New leads since yesterday:* {facts.new_leads}")
    if facts.deposits_paid:
        lines.append(f"*Deposits paid since yesterday:* {facts.deposits_paid}")
    return "\n".join(lines)
