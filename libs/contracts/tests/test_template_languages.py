"""Meta names a template's translation with its own codes: a bare "pt" would be refused."""

import pytest

from inkline_contracts.languages import template_language


@pytest.mark.parametrize(
    ("language", "code"),
    [("en", "en"), ("es", "es"), ("pt", "pt_BR"), ("pt-BR", "pt_BR"), ("de", "de"), ("fr", "fr"), ("it", "it"),
     ("es-MX", "es"), ("nl-BE", "nl_BE")],
)  # fmt: skip
def test_a_reader_s_language_becomes_meta_s_template_language_code(language: str, code: str) -> None:
    assert template_language(language) == code
