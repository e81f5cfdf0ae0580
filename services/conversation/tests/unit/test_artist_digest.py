"""The artist's daily digest reads in two seconds, and an empty day sends nothing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from inkline_conversation.domain.artist_digest import DigestFacts, Session, render_digest

LONDON = ZoneInfo("Europe/London")


def test_the_digest_lists_todays_sessions_then_decisions_then_counts() -> None:
    facts = DigestFacts(
        day=date(2026, 12, 3),
        new_leads=2,
        waiting=["Sam", "Jo"],
        sessions=[Session(start=datetime(2026, 12, 3, 11, 0, tzinfo=LONDON), name="Kit", idea="a swallow")],
        deposits_paid=1,
    )

    assert render_digest(facts) == (
        "*Your day, Thu 3 Dec*\n"
        "*Today:* 11:00 Kit (a swallow)\n"
        "*Waiting for your decision:* Sam, Jo\n"
        "*New leads since yesterday:* 2\n"
        "*Deposits paid since yesterday:* 1"
    )


def test_a_long_queue_of_decisions_names_five_and_counts_the_rest() -> None:
    facts = DigestFacts(day=date(2026, 12, 3), new_leads=0, waiting=[f"Client {n}" for n in range(8)])

    assert "Client 0, Client 1, Client 2, Client 3, Client 4 and 3 more" in (render_digest(facts) or "")


def test_a_day_with_nothing_to_say_sends_nothing() -> None:
    assert render_digest(DigestFacts(day=date(2026, 12, 3), new_leads=0)) is None
