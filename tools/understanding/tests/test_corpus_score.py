"""The consultation's score on the corpus of real answers, per field and language, held to a floor.

The floor is what the parsers read today. Raise it whenever they read more; a change that lowers it
reads real clients worse than before. Issue 18's targets: 92 % read right, 98 % right or asked again,
no silently wrong money or opt-out.
"""

from __future__ import annotations

from inkline_understanding.readings import Verdict
from inkline_understanding.report import render, score_all, tally

# Of the 322 answers (2026-12-03: 173 and 237 when the scorer first ran; 192 and 257 once budgets named
# their currency in any language and opt-outs were read in every language; 207 and 270 once greetings
# and questions in six languages stopped being taken for the idea; 234 and 295 with body areas and
# styles in six languages and through typos; 252 and 306 with skips, promises and "later" in six languages;
# 263 and 306 with named sizes and units in six languages; 274 and 311 with slot ordinals, haggling and
# asking for a person in six languages; 277 with amounts in words; 303 and 318 with availability read in
# six languages, with ranges, seasons, "in two weeks" and what the client rules out; 314 and 322 with the
# GeoNames gazetteer).
FLOOR_RIGHT = 314
FLOOR_RIGHT_OR_ASKED = 322
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
