"""Which language a client is answered in: their words when there are enough to tell, their number's
country before that, and whatever they ask for."""

from __future__ import annotations

import pytest

from inkline_conversation.domain.language import (
    LanguageChoice,
    LanguageSource,
    choose_language,
    phone_language,
    requested_language,
)

TEXT = LanguageSource.TEXT
PHONE = LanguageSource.PHONE


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("hola, quiero un tatuaje", "es"),
        ("una golondrina chiquita con el nombre de mi abuela abajo 🕊️", "es"),
        ("olá, quero fazer uma tatuagem no braço", "pt"),
        ("Hallo, ich hätte gern ein Tattoo am Unterarm", "de"),
        ("bonjour, je voudrais un petit tatouage sur la cheville", "fr"),
        ("ciao, vorrei un tatuaggio piccolo sul polso", "it"),
        ("Hi, I'd like to book a small tattoo on my wrist", "en"),
    ],
)
def test_a_first_sentence_sets_the_language_it_is_written_in(message: str, language: str) -> None:
    assert choose_language(message, current=None, source=None, phone_prior=None) == LanguageChoice(
        language, TEXT
    )


def test_an_english_sentence_from_a_spanish_number_is_answered_in_english() -> None:
    choice = choose_language("Hi! I'd love to book a tattoo", current="es", source=PHONE, phone_prior="es")

    assert choice == LanguageChoice("en", TEXT)


@pytest.mark.parametrize("message", ["ok", "2", "@ink.lover", "500€", "👍🔥", "sí", "realismo", "Madrid"])
def test_a_short_answer_keeps_the_language_so_far(message: str) -> None:
    assert choose_language(message, current="de", source=TEXT, phone_prior=None).language == "de"
    assert choose_language(message, current=None, source=None, phone_prior="it").language == "it"


def test_a_text_that_reads_as_two_languages_keeps_the_current_one() -> None:
    # "no tengo instagram" reads as Spanish, Italian or Portuguese; a Spanish lead stays Spanish.
    assert choose_language("no tengo instagram", current="es", source=TEXT, phone_prior="es").language == "es"


def test_a_clear_sentence_in_another_language_switches_mid_conversation() -> None:
    choice = choose_language(
        "quero uma tatuagem pequena no tornozelo", current="es", source=TEXT, phone_prior="es"
    )

    assert choice == LanguageChoice("pt", TEXT)


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("English please", "en"),
        ("en español", "es"),
        ("en espanol porfa", "es"),
        ("auf Deutsch bitte", "de"),
        ("em português", "pt"),
        ("en français", "fr"),
        ("in italiano", "it"),
        ("¿hablas español?", "es"),
        ("do you speak English?", "en"),
    ],
)
def test_asking_for_a_language_switches_to_it(message: str, language: str) -> None:
    assert requested_language(message) == language
    choice = choose_language(message, current="fr", source=TEXT, phone_prior="fr")
    assert choice == LanguageChoice(language, LanguageSource.ASKED, asked=True)


@pytest.mark.parametrize("message", ["a german flag on my forearm", "Spanish style", "Italian", "fine line"])
def test_a_language_named_in_an_answer_is_not_a_request(message: str) -> None:
    assert requested_language(message) is None


def test_a_language_the_client_asked_for_stays_until_they_ask_again() -> None:
    choice = choose_language(
        "una rosa pequeña en el antebrazo", current="en", source=LanguageSource.ASKED, phone_prior="es"
    )

    assert choice == LanguageChoice("en", LanguageSource.ASKED)
    assert not choice.asked, "only the request itself is answered with a confirmation"


@pytest.mark.parametrize(
    ("wa_id", "language"),
    [
        ("34600111222", "es"),
        ("5511987654321", "pt"),
        ("351912345678", "pt"),
        ("4915112345678", "de"),
        ("436641234567", "de"),
        ("41791234567", "de"),
        ("33612345678", "fr"),
        ("393331234567", "it"),
        ("447700900123", None),
        ("15551234567", None),
        ("not-a-number", None),
    ],
)
def test_the_numbers_country_suggests_a_language(wa_id: str, language: str | None) -> None:
    assert phone_language(wa_id) == language


@pytest.mark.parametrize(
    ("bsuid", "language"),
    [("ES.13491208655302741918", "es"), ("BR.ENT.1181579921", "pt"), ("GB.1349120865", None)],
)
def test_a_username_clients_country_comes_from_their_business_scoped_user_id(
    bsuid: str, language: str | None
) -> None:
    assert phone_language(bsuid) == language
