import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.instagram import (
    InstagramHandle,
    InstagramSkipped,
    find_instagram,
    parse_instagram,
)


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("@ink.lover_92", "ink.lover_92"),
        ("instagram.com/foo", "foo"),
        ("https://www.instagram.com/Foo.Bar/?igshid=abc123", "foo.bar"),
        ("my ig is foo", "foo"),
        ("My IG is @Foo_Bar 🙂", "foo_bar"),
        ("insta: kat.tattoos", "kat.tattoos"),
        ("it's ink_kate on insta", "ink_kate"),
        ("ink.lover_92", "ink.lover_92"),
    ],
)
def test_handles_are_extracted_and_lower_cased(text: str, handle: str) -> None:
    assert parse_instagram(text) == InstagramHandle(handle)


@pytest.mark.parametrize(
    "text", ["no", "Skip", "don't have one", "Nope, not on insta", "I dont have instagram sorry", "n/a"]
)
def test_declining_skips_the_question(text: str) -> None:
    assert parse_instagram(text) == InstagramSkipped()


@pytest.mark.parametrize("text", ["what?", "yes", "hang on let me check"])
def test_replies_without_a_handle_fail(text: str) -> None:
    assert parse_instagram(text) == ParseFailure(reason="no_handle", hint_key="repair.instagram")


def test_handles_inside_longer_messages_are_only_found_when_marked() -> None:
    assert find_instagram("wrist please, my insta is @rosie.j") == InstagramHandle("rosie.j")
    assert find_instagram("a rose on my wrist") is None


@pytest.mark.parametrize(
    "text",
    ["nein", "não tenho", "no tengo", "pas d'insta", "no uso redes la verdad", "I don't use social media",
     "private account sorry", "later"],
)  # fmt: skip
def test_no_instagram_said_in_any_language_skips_the_question(text: str) -> None:
    assert parse_instagram(text) == InstagramSkipped()


def test_a_handle_introduced_in_italian_is_the_handle_not_the_verb() -> None:
    assert parse_instagram("su ig sono giuly.b") == InstagramHandle("giuly.b")
