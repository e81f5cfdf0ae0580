"""What the artist saved in the studio is what the next turn uses: the journey on the in-memory store."""

from __future__ import annotations

from datetime import timedelta

from inkline_contracts import subjects
from inkline_conversation.domain.artist_settings import ArtistSettings, defaults_from
from inkline_conversation.domain.client_questions import Topic
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.config import build_config
from inkline_conversation.testing.studio import ANSWERS, NOON, SETTINGS, Studio, slots_from


def saved(**changes: object) -> ArtistSettings:
    return defaults_from(SETTINGS).model_copy(update=changes)


async def test_a_minimum_saved_mid_consultation_judges_the_budget_given_after_it() -> None:
    studio = Studio()
    first, *rest = ANSWERS
    await studio.say(first)
    studio.store.artist_settings = saved(minimum_spend_minor=60000)

    for answer in rest:
        await studio.say(answer)

    assert studio.status() is LeadStatus.BELOW_MINIMUM
    assert any("below your minimum of £600" in text for text in studio.texts_to_artist())
    assert not studio.published(subjects.SLOTS_REQUESTED)


async def test_without_a_saved_version_the_environments_values_apply() -> None:
    studio = Studio()

    await studio.consult()

    assert studio.status() is not LeadStatus.BELOW_MINIMUM
    assert studio.published(subjects.SLOTS_REQUESTED)


async def test_the_artists_saved_name_signs_the_next_reply() -> None:
    studio = Studio()
    studio.store.artist_settings = saved(artist_name="Juno")

    await studio.say("Hi, I'd like to book a tattoo")

    assert "Juno" in studio.texts_to_client()[0]
    assert "Rowan" not in studio.texts_to_client()[0]


async def test_an_faq_answer_saved_mid_consultation_is_what_the_next_question_gets() -> None:
    studio = Studio()
    await studio.say(ANSWERS[0])
    await studio.say("what should I bring on the day?")
    assert "Photo ID and a snack, please." not in studio.texts_to_client()[-2]

    studio.store.artist_settings = saved(faq_answers={Topic.BRING: "Photo ID and a snack, please."})
    await studio.say("what should I bring on the day?")

    assert studio.texts_to_client()[-2] == "Photo ID and a snack, please."


async def test_the_artists_saved_language_is_the_language_of_the_next_lead_summary() -> None:
    studio = Studio()
    studio.store.artist_settings = saved(artist_language="es")

    await studio.consult()
    await studio.answer_slots(slots_from(NOON + timedelta(days=5), count=3))

    assert "Nuevo cliente" in studio.texts_to_artist()[-1]
    assert "New lead" not in studio.texts_to_artist()[-1]


async def test_a_currency_saved_in_the_studio_is_the_currency_of_the_minimum() -> None:
    studio = Studio()
    first, *rest = ANSWERS
    await studio.say(first)
    studio.store.artist_settings = saved(artist_currency="EUR", minimum_spend_minor=60000)

    for answer in rest:
        await studio.say(answer.replace("£400-500", "400-500"))

    assert studio.status() is LeadStatus.BELOW_MINIMUM
    assert any("€600" in text for text in studio.texts_to_artist())


async def test_the_artists_saved_language_answers_their_next_tap_on_an_action() -> None:
    studio = Studio()
    await studio.consult()
    await studio.answer_slots(slots_from(NOON + timedelta(days=5), count=3))
    studio.store.artist_settings = saved(artist_language="es")

    answer = await studio.artist_taps(ActionKind.APPROVE)

    assert answer == "Aceptado. Sam recibirá tus huecos libres para elegir."


def test_a_saved_version_is_applied_once_and_the_next_save_replaces_it() -> None:
    config = build_config(SETTINGS)
    version = saved(minimum_spend_minor=60000)

    applied = config.with_artist_settings(version)
    again = config.with_artist_settings(version)
    after_save = config.with_artist_settings(saved(minimum_spend_minor=70000))

    assert again is applied, "the same version builds no second config"
    assert applied.settings.minimum_spend_minor == 60000
    assert after_save.settings.minimum_spend_minor == 70000
    assert config.with_artist_settings(None) is config
