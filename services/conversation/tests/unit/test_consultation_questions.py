"""A client's question in the middle of the consultation is answered from the artist's settings and the
open question asked again; it is never taken as an answer, and an optional question never hands over."""

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_conversation.domain.client_questions import StudioFacts, Topic
from inkline_conversation.domain.consultation import ConsultationSettings, advance, start
from inkline_conversation.domain.consultation_events import HandoverRequested, Step, TextMessage
from inkline_conversation.domain.consultation_state import ConsultationState, Field
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.rules import MinimumSpendPolicy

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
SETTINGS = ConsultationSettings(
    artist_name="Kat",
    currency="GBP",
    minimum_spend=MinimumSpendPolicy(currency="GBP", default_minor=15000),
    facts=StudioFacts(address="12 Example Street, London", minimum=Money(15000, "GBP")),
)
BLACK_AND_GREY_ONLY = replace(
    SETTINGS, facts=replace(SETTINGS.facts, does_cover_ups=False, does_colour=False)
)


def at(asked: Field) -> ConsultationState:
    return ConsultationState(current=asked)


def send(state: ConsultationState, text: str, settings: ConsultationSettings = SETTINGS) -> Step:
    return advance(state, TextMessage(text), now=NOW, tz=LONDON, settings=settings)


def keys(step: Step) -> list[str]:
    return [reply.key for reply in step.replies]


def english(step: Step) -> list[str]:
    copy = Copy.for_language("en")
    return [copy.render(reply.key, **dict(reply.params)) for reply in step.replies]


def test_how_much_mid_consultation_gets_the_minimum_and_the_question_again_without_a_strike() -> None:
    step = send(at(Field.PLACEMENT), "how much will it cost?")

    assert keys(step) == ["answer.price_minimum", "question.placement"]
    assert "The minimum for a tattoo is £150." in english(step)[0]
    assert step.state.strikes == {}
    assert step.state.answers.placement is None


def test_a_spanish_price_question_at_the_style_question_is_not_stored_as_the_style() -> None:
    step = send(at(Field.STYLE), "¿cuánto cuesta más o menos?")

    assert keys(step) == ["answer.price_minimum", "question.style"]
    assert step.state.answers.style is None
    assert Field.STYLE not in step.state.answers.skipped


def test_where_the_studio_is_is_answered_with_the_address() -> None:
    step = send(at(Field.WINDOWS), "can I stop by the studio first?")

    assert keys(step) == ["answer.studio", "question.windows"]
    assert english(step)[0] == "The studio is at 12 Example Street, London."
    assert step.state.answers.windows is None


@pytest.mark.parametrize(
    ("text", "settings", "key"),
    [
        ("do you do cover ups?", SETTINGS, "answer.cover_up_yes"),
        ("do you do cover ups?", BLACK_AND_GREY_ONLY, "answer.cover_up_no"),
        ("¿haces color?", SETTINGS, "answer.colour_yes"),
        ("machst du auch farbige Tattoos?", BLACK_AND_GREY_ONLY, "answer.colour_no"),
        ("vous faites de la couleur ?", SETTINGS, "answer.colour_yes"),
    ],
)
def test_cover_up_and_colour_questions_are_answered_from_the_artist_s_settings(
    text: str, settings: ConsultationSettings, key: str
) -> None:
    step = send(at(Field.IDEA), text, settings)

    assert keys(step) == [key, "question.idea"]
    assert not any(isinstance(event, HandoverRequested) for event in step.events)
    assert step.state.answers.idea is None


def test_a_cover_up_that_is_not_a_question_still_goes_to_the_artist() -> None:
    step = send(at(Field.IDEA), "it's a cover-up of my ex's name")

    assert step.events == (HandoverRequested(reason="cover_up", field=Field.IDEA),)


@pytest.mark.parametrize(
    ("opening", "answer"),
    [
        ("heyyy, u got space next month?", "answer.availability"),
        ("how much for a small rose?", "answer.price_minimum"),
        ("Hola! cuánto cuesta un tatuaje pequeño?", "answer.price_minimum"),
    ],
)
def test_an_opening_question_is_answered_and_the_idea_asked_for(opening: str, answer: str) -> None:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS, first_message=TextMessage(opening))

    assert keys(step) == ["greeting.consultation", answer, "question.idea"]
    assert step.state.answers.idea is None


def test_an_answer_with_a_question_keeps_the_answer_and_answers_the_question() -> None:
    step = send(at(Field.LOCATION), "Leeds, UK. Where is the studio?")

    assert step.state.answers.location is not None
    assert keys(step) == ["answer.studio", "question.idea"], "then the first question still open"


@pytest.mark.parametrize(
    ("asked", "miss"), [(Field.REFERENCES, "yes"), (Field.INSTAGRAM, "hmm let me think")]
)
def test_an_optional_question_missed_once_is_skipped_never_asked_again_or_handed_over(
    asked: Field, miss: str
) -> None:
    step = send(at(asked), miss)

    assert asked in step.state.answers.skipped
    assert step.state.current is not asked or step.state.confirming
    assert not any(isinstance(event, HandoverRequested) for event in step.events)
    assert f"repair.{asked.value}" not in keys(step)


def test_i_don_t_use_social_media_twice_skips_the_instagram_question() -> None:
    first = send(at(Field.INSTAGRAM), "I don't use social media")
    second = send(first.state, "I said I don't use it")

    assert Field.INSTAGRAM in first.state.answers.skipped
    assert not any(isinstance(event, HandoverRequested) for event in second.events)


@pytest.mark.parametrize("text", ["keine Ahnung", "hola, ¿qué tal?", "Guten Tag!"])
def test_small_talk_or_a_shrug_is_never_stored_as_the_placement(text: str) -> None:
    step = send(at(Field.PLACEMENT), text)

    assert step.state.answers.placement is None
    assert keys(step) == ["repair.placement"]


@pytest.mark.parametrize(
    ("text", "city", "country"),
    [
        ("uns 600 reais, moro em Curitiba", "Curitiba", "BR"),
        ("300€ max, je suis à Marseille", "Marseille", "FR"),
        ("max 400€, sono di Firenze", "Florence", "IT"),
        ("300 Euro, ich wohne in Köln", "Cologne", "DE"),
        ("unos 500€, vivo en Sevilla", "Sevilla", "ES"),
    ],
)
def test_where_the_client_lives_said_in_passing_in_their_language_is_kept(
    text: str, city: str, country: str
) -> None:
    step = send(at(Field.BUDGET), text)

    assert step.state.answers.budget is not None
    assert step.state.answers.location is not None
    assert (step.state.answers.location.city, step.state.answers.location.country_code) == (city, country)


ARTISTS_WORDS = replace(
    SETTINGS,
    facts=replace(
        SETTINGS.facts,
        answers={
            Topic.BRING: "Photo ID, a snack, and loose clothes.",
            Topic.PRICE: "Small pieces start at £150; most forearms are £300-£500.",
        },
    ),
)


@pytest.mark.parametrize(
    "text", ["what should I bring to the studio?", "¿qué tengo que traer?", "was soll ich mitbringen?"]
)
def test_what_to_bring_is_answered_with_the_artists_own_words_as_written(text: str) -> None:
    step = send(at(Field.WINDOWS), text, ARTISTS_WORDS)

    assert keys(step) == ["answer.artist", "question.windows"]
    assert english(step)[0] == "Photo ID, a snack, and loose clothes."
    # The same words in any client's language: the artist's text is never machine-translated.
    spanish = Copy.for_language("es").render(step.replies[0].key, **dict(step.replies[0].params))
    assert spanish == "Photo ID, a snack, and loose clothes."
    assert step.state.answers.windows is None


def test_what_to_bring_without_the_artists_words_gets_what_else_the_question_asks() -> None:
    step = send(at(Field.WINDOWS), "what should I bring to the studio?")

    assert keys(step) == ["answer.studio", "question.windows"]
    assert step.state.answers.windows is None


def test_the_artists_price_guide_replaces_the_standard_price_answer() -> None:
    step = send(at(Field.PLACEMENT), "how much will it cost?", ARTISTS_WORDS)

    assert english(step)[0] == "Small pieces start at £150; most forearms are £300-£500."
    assert keys(step) == ["answer.artist", "question.placement"]


@pytest.mark.parametrize("text", ["quanto tempo vai levar?", "llevo años queriéndolo, ¿haces color?"])
def test_words_that_only_sometimes_mean_bringing_are_not_taken_as_what_to_bring(text: str) -> None:
    step = send(at(Field.IDEA), text, ARTISTS_WORDS)

    assert "Photo ID, a snack, and loose clothes." not in english(step)
