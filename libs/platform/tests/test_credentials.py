from __future__ import annotations

import pytest

from inkline_platform.credentials import credential_matches


def test_the_same_credential_matches() -> None:
    assert credential_matches("s3cret-token", "s3cret-token")


@pytest.mark.parametrize(
    "given", ["s3cret-tokeN", "s3cret-toke", "", "s3cret-tokén", "\u00e9" * 12, "\ud800"]
)
def test_anything_else_does_not_match_whatever_characters_it_holds(given: str) -> None:
    assert not credential_matches(given, "s3cret-token")


def test_a_non_ascii_expected_credential_matches_only_itself() -> None:
    assert credential_matches("clé-secrète", "clé-secrète")
    assert not credential_matches("cle-secrete", "clé-secrète")


@pytest.mark.parametrize("given", [None, "", "anything"])
def test_an_empty_expected_credential_matches_nothing(given: str | None) -> None:
    assert not credential_matches(given, "")
