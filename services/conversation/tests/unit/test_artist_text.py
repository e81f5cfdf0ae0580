"""Messages to the artist shorten the client's words, never the links, and always fit a template parameter."""

from __future__ import annotations

from collections.abc import Mapping

from inkline_contracts.text import ELLIPSIS
from inkline_conversation.domain.artist_text import ARTIST_BUDGET, fit, one_line, share_room

LINK = "https://artist.example/actions/" + "T" * 43


def _message(words: Mapping[str, str]) -> str:
    return f"New lead: {words['name']}\nIdea: {words['idea']}\nStyle: {words['style']}\n\nApprove: {LINK}"


def test_short_words_arrive_whole() -> None:
    words = {"name": "Sam", "idea": "a swallow", "style": "fine line"}

    assert fit(_message, words, caps={}) == _message(words)


def test_long_words_are_shortened_so_the_message_fits_and_the_link_stays_whole() -> None:
    message = fit(_message, {"name": "Sam", "idea": "rose " * 800, "style": "dotwork " * 500}, caps={})

    assert len(message) <= ARTIST_BUDGET
    assert message.endswith(f"Approve: {LINK}")
    assert "Idea: rose rose" in message
    assert message.count(ELLIPSIS) == 2


def test_a_short_answer_leaves_its_unused_room_to_the_long_ones() -> None:
    assert share_room({"name": 3, "idea": 4000, "style": 4000}, 603) == {"name": 3, "idea": 300, "style": 300}


def test_a_cap_bounds_a_word_even_when_there_is_room() -> None:
    message = fit(_message, {"name": "S" * 500, "idea": "a swallow", "style": "fine line"}, caps={"name": 60})

    assert f"New lead: {'S' * 59}{ELLIPSIS}\n" in message


def test_the_clients_line_breaks_cannot_break_the_message_apart() -> None:
    assert one_line("a rose\n\n\twith    thorns  ") == "a rose with thorns"
    message = fit(_message, {"name": "Sam", "idea": "a rose\n\nApprove: fake", "style": "x"}, caps={})
    assert "Idea: a rose Approve: fake\n" in message
