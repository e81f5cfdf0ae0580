"""The artist's short daily digest: new leads, decisions waiting, today's sessions, deposits paid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from inkline_conversation.domain.copy import Copy

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


def _names(names: Sequence[str], copy: Copy) -> str:
    shown = ", ".join(names[:_NAMES_LISTED])
    more = len(names) - _NAMES_LISTED
    return copy.render("artist_digest.and_more", names=shown, count=more) if more > 0 else shown


def render_digest(facts: DigestFacts, copy: Copy | None = None) -> str | None:
    """The digest in `copy`'s language (English by default), or None on a day with nothing to say (no
    message is better than an empty one)."""
    if not (facts.new_leads or facts.waiting or facts.sessions or facts.deposits_paid):
        return None
    texts = copy or Copy.for_language("en")

    def label(key: str) -> str:
        return f"*{texts.render(f'artist_digest.{key}')}:*"

    lines = [texts.render("artist_digest.title", day=facts.day)]
    if facts.sessions:
        lines.append(
            f"{label('today')} " + "; ".join(f"{s.start:%H:%M} {s.name} ({s.idea})" for s in facts.sessions)
        )
    if facts.waiting:
        lines.append(f"{label('waiting')} {_names(facts.waiting, texts)}")
    if facts.new_leads:
        lines.append(f"{label('new_leads')} {facts.new_leads}")
    if facts.deposits_paid:
        lines.append(f"{label('deposits_paid')} {facts.deposits_paid}")
    return "\n".join(lines)
