"""The score of the whole corpus as tables a person reads: per field, per language, and what went wrong."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from inkline_understanding.cases import load_cases
from inkline_understanding.readings import Verdict
from inkline_understanding.scoring import Outcome, score


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of one group of cases."""

    total: int
    right: int
    asked_again: int

    @property
    def right_share(self) -> float:
        """Read right, as a fraction."""
        return self.right / self.total if self.total else 0.0

    @property
    def right_or_asked_share(self) -> float:
        """Read right or asked again (never silently wrong), as a fraction."""
        return (self.right + self.asked_again) / self.total if self.total else 0.0


def score_all() -> list[Outcome]:
    """Every case of the corpus, scored."""
    return [score(case) for case in load_cases()]


def tally(outcomes: Iterable[Outcome]) -> Tally:
    """Count verdicts."""
    items = list(outcomes)
    return Tally(
        total=len(items),
        right=sum(o.verdict is Verdict.RIGHT for o in items),
        asked_again=sum(o.verdict is Verdict.ASKED_AGAIN for o in items),
    )


def tally_by(outcomes: Iterable[Outcome], key: Callable[[Outcome], str]) -> dict[str, Tally]:
    """Tallies per group, in the groups' sorted order."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return {name: tally(groups[name]) for name in sorted(groups)}


def render(outcomes: list[Outcome], *, show_wrong: bool = True) -> str:
    """Markdown tables: overall, per field, per language, then every silently wrong reading."""
    lines = [_table("field", tally_by(outcomes, lambda o: o.case.field), tally(outcomes))]
    lines += ["", _table("language", tally_by(outcomes, lambda o: o.case.language), tally(outcomes))]
    money = sum(o.silent_money for o in outcomes)
    opt_out = sum(o.silent_opt_out for o in outcomes)
    lines += ["", f"silently wrong money: {money}; silently wrong opt-out: {opt_out}"]
    if show_wrong:
        wrong = [o for o in outcomes if o.verdict is Verdict.WRONG]
        lines += ["", f"read wrong ({len(wrong)}):"]
        lines += [f"- [{o.case.language}] {o.case.label!r} -> {o.reading}" for o in wrong]
    return "\n".join(lines)


def _table(group: str, tallies: dict[str, Tally], overall: Tally) -> str:
    rows = [
        f"| {group} | cases | read right | right or asked again |",
        "|---|---:|---:|---:|",
    ]
    for name, counts in [*tallies.items(), ("**all**", overall)]:
        rows.append(
            f"| {name} | {counts.total} | {counts.right_share:.0%} | {counts.right_or_asked_share:.0%} |"
        )
    return "\n".join(rows)
