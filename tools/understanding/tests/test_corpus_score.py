"""The consultation's score on the corpus of real answers, per field and language, held to a floor.

The floor is what the parsers read today. Raise it whenever they read more; a change that lowers it
reads real clients worse than before. Issue 18's targets: 92 % read right, 98 % right or asked again,
no silently wrong money or opt-out.
"""

from __future__ import annotations

from inkline_understanding.readings import Verdict
from inkline_understanding.report import render, score_all, tally

# Of the 367 answers (the shared corpus's 322 and our own 45). The shared corpus alone went from 173 read
# right and 237 right or asked again when the scorer first ran to 314 and 322 (2026-12-03).
FLOOR_RIGHT = 362
FLOOR_RIGHT_OR_ASKED = 367
# Issue 18's target, reached: a wrong amount or a missed "stop" is never acceptable.
CEILING_SILENT_MONEY = 0
CEILING_SILENT_OPT_OUT = 0


def test_the_corpus_is_read_at_least_as_well_as_the_recorded_floor() -> None:
    outcomes = score_all()
    print("\n" + render(outcomes))  # the table, with `pytest -s`
    overall = tally(outcomes)
    assert overall.right >= FLOOR_RIGHT
    assert overall.right + overall.asked_again >= FLOOR_RIGHT_OR_ASKED


def test_silently_wrong_money_and_opt_outs_never_grow() -> None:
    outcomes = score_all()
    assert sum(o.silent_money for o in outcomes) <= CEILING_SILENT_MONEY
    assert sum(o.silent_opt_out for o in outcomes) <= CEILING_SILENT_OPT_OUT


def test_plain_answers_every_parser_knows_are_read_right() -> None:
    plain = {("budget", "£400"), ("size", "15cm"), ("placement", "forearm"), ("location", "London")}
    outcomes = {(o.case.field, o.case.text): o for o in score_all()}
    for key in plain:
        assert outcomes[key].verdict is Verdict.RIGHT, outcomes[key]
