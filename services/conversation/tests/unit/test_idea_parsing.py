import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.idea import parse_idea


@pytest.mark.parametrize(
    "text",
    [
        "Hi! I'd love to book a tattoo",
        "hola, quiero un tatuaje",
        "olá, queria fazer uma tatuagem",
        "Hallo, ich möchte gerne ein Tattoo",
        "bonjour, je voudrais un tatouage",
        "ciao! vorrei fare un tatuaggio",
    ],
)
def test_a_greeting_that_only_asks_for_a_tattoo_is_not_the_idea(text: str) -> None:
    assert parse_idea(text) == ParseFailure(reason="generic", hint_key="repair.idea")


@pytest.mark.parametrize(
    "text",
    [
        "how much does a small tattoo cost?",
        "can I get a price?",
        "¿cuánto cuesta más o menos?",
        "Was kostet bei euch so ein kleines Tattoo?",
        "u got space next month?",
        "ciao! info?",
    ],
)
def test_a_question_about_price_or_dates_is_not_the_idea(text: str) -> None:
    assert isinstance(parse_idea(text), ParseFailure)


@pytest.mark.parametrize(
    "text",
    [
        "a small fine line swallow",
        "love heart on my wrist",
        "una golondrina chiquita con el nombre de mi abuela abajo",
        "ein Wolf im Wald",
        "the name of my son",
    ],
)
def test_any_real_description_is_kept_as_written(text: str) -> None:
    assert parse_idea(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Guten Tag!",
        "Servus, grüß dich",
        "Hallo zusammen, ich hätte gern ein Tattoo",
        "hey, wie geht's?",
        "Buenas noches, quería información",
        "Hola que tal, quería hacerme un tatuaje",
        "holi",
        "oi, td bem?",
        "salut ça va",
        "ciao a tutti",
    ],
)
def test_a_german_spanish_or_other_greeting_is_not_the_idea(text: str) -> None:
    assert parse_idea(text) == ParseFailure(reason="generic", hint_key="repair.idea")


@pytest.mark.parametrize(
    "text", ["keine Ahnung", "weiß nicht", "ni idea", "no sé", "não sei", "je sais pas", "non lo so", "boh"]
)
def test_a_shrug_in_any_language_is_undecided_not_the_idea(text: str) -> None:
    assert parse_idea(text) == ParseFailure(reason="undecided", hint_key="repair.idea")


@pytest.mark.parametrize(
    "text", ["eine Schwalbe", "una golondrina", "na ja, eine Rose", "uma rosa na costela"]
)
def test_an_idea_after_small_talk_words_is_still_the_idea(text: str) -> None:
    assert parse_idea(text) == text
