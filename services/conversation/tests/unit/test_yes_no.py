import pytest

from inkline_conversation.domain.parsing.yes_no import (
    CANCEL_NO_WORDS,
    CANCEL_YES_WORDS,
    TOUR_NO_WORDS,
    TOUR_YES_WORDS,
    says_no,
    says_yes,
)


@pytest.mark.parametrize("text", ["Yes please!", "yeah ok", "Sure", "y"])
def test_plain_yes_counts_for_every_question(text: str) -> None:
    assert says_yes(text, yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS)
    assert says_yes(text, yes=CANCEL_YES_WORDS, no=CANCEL_NO_WORDS)


def test_waitlist_declines_a_tour() -> None:
    assert says_no("put me on the waitlist", yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS)


def test_keep_declines_a_cancellation_but_means_nothing_to_the_tour_question() -> None:
    assert says_no("keep it", yes=CANCEL_YES_WORDS, no=CANCEL_NO_WORDS)
    assert not says_no("keep it", yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS)


def test_cancel_confirms_a_cancellation() -> None:
    assert says_yes("cancel", yes=CANCEL_YES_WORDS, no=CANCEL_NO_WORDS)


def test_yes_and_no_together_are_neither() -> None:
    assert not says_yes("yes no", yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS)
    assert not says_no("yes no", yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS)
