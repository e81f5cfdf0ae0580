"""Conversation's signed media links become the studio's own paths, and nothing else does."""

from __future__ import annotations

from inkline_studio.domain.media_links import same_origin


def test_a_signed_media_link_keeps_its_path_and_signature_on_the_studios_origin() -> None:
    link = "https://conversation.example/media/media-1?expires=1700000000&signature=abc_-"
    assert same_origin(link) == "/media/media-1?expires=1700000000&signature=abc_-"


def test_links_that_are_not_conversation_media_are_not_shown() -> None:
    assert same_origin(None) is None
    assert same_origin("https://evil.example/steal?x=1") is None
    assert same_origin("https://conversation.example/media/a/../../admin?x=1") is None
