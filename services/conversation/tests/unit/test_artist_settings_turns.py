"""What the artist saved in the studio is what the next turn uses: the journey on the in-memory store."""

from __future__ import annotations

from inkline_contracts import subjects
from inkline_conversation.domain.artist_settings import ArtistSettings, defaults_from
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.testing.studio import ANSWERS, SETTINGS, Studio


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
