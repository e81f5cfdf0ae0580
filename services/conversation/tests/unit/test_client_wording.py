"""The artist reads the client's language and, where Inkline turned words into a value, the words."""

from datetime import datetime
from zoneinfo import ZoneInfo

from inkline_conversation.domain.consultation import ConsultationSettings, advance, start, state_to_dict
from inkline_conversation.domain.consultation_events import ConsultationCompleted, TextMessage
from inkline_conversation.journey.client_wording import client_said, echo, language_name

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
SETTINGS = ConsultationSettings(artist_name="Kat", currency="GBP")


def test_the_language_is_named_in_english_for_the_artist() -> None:
    assert [language_name(code) for code in ("es", "pt", "de", "fr", "it", "en")] == [
        "Spanish",
        "Portuguese",
        "German",
        "French",
        "Italian",
        "English",
    ]
    assert language_name(None) == "English"


def test_each_answer_keeps_the_words_it_was_read_from_through_a_correction() -> None:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS, first_message=TextMessage("una golondrina"))
    for text in [
        "antebrazo",
        "10x15 cm",
        "fine line",
        "no",
        "unas 400 libras",
        "Sevilla",
        "en enero",
        "no",
        "presupuesto 500 libras",
        "1",
    ]:
        step = advance(step.state, TextMessage(text), now=NOW, tz=LONDON, settings=SETTINGS)
    [done] = [event for event in step.events if isinstance(event, ConsultationCompleted)]
    record = {"wording": {which.value: text for which, text in done.wording.items()}}

    said = client_said(record, {"said_budget": "£500", "said_city": "Sevilla", "said_dates": "1-31 Jan"})

    assert said["said_budget"] == "presupuesto 500 libras", (
        "the correction's words replace the first answer's"
    )
    assert said["said_dates"] == "en enero"
    assert "said_city" not in said, "words that read the same as the value are not repeated"
    assert echo(said, "said_dates") == ' ("en enero")'
    assert echo(said, "said_city") == ""
    assert state_to_dict(step.state)["wording"]["idea"] == "una golondrina"
