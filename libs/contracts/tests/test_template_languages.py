"""Meta names a template's translation with its own codes: a bare "pt" would be refused."""

import pytest

from inkline_contracts.languages import (
    LANGUAGES,
    LOCALES,
    TEMPLATE_LANGUAGE_CODES,
    base_language,
    supported_language,
    template_language,
)


@pytest.mark.parametrize(
    ("language", "code"),
    [("en", "en"), ("es", "es"), ("pt", "pt_BR"), ("pt-BR", "pt_BR"), ("de", "de"), ("fr", "fr"), ("it", "it"),
     ("es-MX", "es"), ("nl-BE", "nl_BE")],
)  # fmt: skip
def test_a_reader_s_language_becomes_meta_s_template_language_code(language: str, code: str) -> None:
    assert template_language(language) == code


@pytest.mark.parametrize(
    ("code", "base"),
    [("pt-BR", "pt"), ("DE_at", "de"), (" es ", "es"), ("nl", "nl"), ("", ""), (None, "")],
)
def test_a_code_as_clients_and_browsers_spell_it_comes_down_to_its_bare_language(
    code: str | None, base: str
) -> None:
    assert base_language(code) == base


@pytest.mark.parametrize(
    ("code", "written"), [("pt-BR", "pt"), ("FR_ca", "fr"), ("nl-BE", "en"), ("", "en"), (None, "en")]
)
def test_a_reader_of_a_language_inkline_does_not_write_is_written_to_in_english(
    code: str | None, written: str
) -> None:
    assert supported_language(code) == written
    assert written in LANGUAGES


def test_every_language_inkline_writes_has_a_locale_and_a_template_translation() -> None:
    assert set(LOCALES) == set(LANGUAGES) == set(TEMPLATE_LANGUAGE_CODES)
