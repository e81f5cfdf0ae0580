"""Before the answers go to the artist the client reads them back, in their language, and can correct
any of them in words; only "1" (or a plain yes) sends them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_contracts.events.notify import TextContent
from inkline_conversation.domain.consultation import ConsultationSettings, advance, resume, start
from inkline_conversation.domain.consultation_events import (
    ConsultationCompleted,
    HandoverRequested,
    MediaMessage,
    Step,
    TextMessage,
)
from inkline_conversation.domain.consultation_state import Field
from inkline_conversation.domain.copy import LANGUAGES, Copy
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.size import Size

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
SETTINGS = ConsultationSettings(artist_name="Kat", currency="GBP")
ANSWERS = ["a rose", "left wrist", "5x7cm", "fine line", "skip", "£300-400", "Leeds, UK", "weekends in March"]


def send(step: Step, text: str | MediaMessage) -> Step:
    inbound = TextMessage(text) if isinstance(text, str) else text
    return advance(step.state, inbound, now=NOW, tz=LONDON, settings=SETTINGS)


def at_read_back(*, instagram: str = "@kat.client") -> Step:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS)
    for answer in [*ANSWERS, instagram]:
        step = send(step, answer)
    return step


def keys(step: Step) -> list[str]:
    return [reply.key for reply in step.replies]


def rendered(step: Step, language: str = "en") -> str:
    copy = Copy.for_language(language)
    return "\n".join(copy.render(reply.key, **dict(reply.params)) for reply in step.replies)


def completed(step: Step) -> bool:
    return any(isinstance(event, ConsultationCompleted) for event in step.events)


def test_the_last_answer_gets_a_read_back_and_nothing_goes_to_the_artist_yet() -> None:
    step = at_read_back()

    assert keys(step) == ["read_back.ask"]
    assert step.state.confirming
    assert not step.state.completed
    assert not completed(step)
    text = rendered(step)
    assert text.startswith("Here's what I have:")
    for line in (
        "• Idea: a rose",
        "• Placement: left wrist",
        "• Size: 7x5 cm",
        "• Style: fine line",
        "• Budget: £300-£400",
        "• City: Leeds, United Kingdom",
        "• Dates: ",
        "• Instagram: @kat.client",
    ):
        assert line in text
    assert "Reply 1 to send it to Kat" in text
    assert "reference" not in text.lower(), "a skipped question is left out"


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("es", ("• Idea: a rose", "• Presupuesto: 300", "• Ciudad: Leeds, Reino Unido", "Responde 1")),
        ("pt", ("• Ideia: a rose", "• Orçamento: ", "• Cidade: Leeds, Reino Unido", "Responde 1")),
        ("de", ("• Idee: a rose", "• Größe: 7x5 cm", "• Stadt: Leeds, Vereinigtes Königreich", "1")),
        ("fr", ("• Idée : a rose", "• Budget : 300", "• Ville : Leeds, Royaume-Uni", "Répondez 1")),
        ("it", ("• Idea: a rose", "• Città: Leeds, Regno Unito", "Rispondi 1")),
    ],
)
def test_the_read_back_is_written_in_the_client_s_language(language: str, lines: tuple[str, ...]) -> None:
    text = rendered(at_read_back(), language)

    for line in lines:
        assert line in text, text
    assert "Here's what" not in text


def test_every_language_reads_back_every_answer() -> None:
    step = at_read_back()
    for language in LANGUAGES:
        assert rendered(step, language).count("• ") == 8, language


@pytest.mark.parametrize(
    "reply", ["1", "yes", "Yes, perfect!", "sí, perfecto", "passt", "oui c'est bon", "va bene"]
)
def test_one_or_a_plain_yes_sends_the_answers_to_the_artist(reply: str) -> None:
    step = send(at_read_back(), reply)

    assert completed(step)
    assert keys(step) == ["consultation.complete"]
    assert step.state.completed
    assert not step.state.confirming


@pytest.mark.parametrize(
    ("reply", "field", "value"),
    [
        ("budget £600", Field.BUDGET, BudgetRange(60000, 60000, "GBP")),
        ("Actually my budget should be 500-700", Field.BUDGET, BudgetRange(50000, 70000, "GBP")),
        ("£600 max", Field.BUDGET, BudgetRange(0, 60000, "GBP")),
        ("the city is Manchester", Field.LOCATION, Location("Manchester", "GB")),
        ("I'm in Manchester now", Field.LOCATION, Location("Manchester", "GB")),
        ("la ciudad es Sevilla", Field.LOCATION, Location("Sevilla", "ES")),
        ("Stadt: Köln", Field.LOCATION, Location("Cologne", "DE")),
        ("size 12cm", Field.SIZE, Size(length_cm=12.0)),
        ("make it 12 x 8 cm", Field.SIZE, Size(length_cm=12.0, width_cm=8.0)),
        ("idea: a swallow instead", Field.IDEA, "a swallow instead"),
    ],
)
def test_a_correction_in_words_changes_that_answer_and_reads_back_again(
    reply: str, field: Field, value: object
) -> None:
    before = at_read_back()

    step = send(before, reply)

    assert keys(step) == ["read_back.ask"]
    assert not completed(step)
    assert step.state.confirming
    assert step.state.answers.value(field) == value
    unchanged = [which for which in Field if which is not field]
    assert [step.state.answers.value(which) for which in unchanged] == [
        before.state.answers.value(which) for which in unchanged
    ]


def test_a_corrected_consultation_is_sent_with_the_correction() -> None:
    step = send(send(at_read_back(), "the city is Manchester"), "1")

    done = [event for event in step.events if isinstance(event, ConsultationCompleted)]
    assert len(done) == 1
    assert done[0].answers.location == Location("Manchester", "GB")


def test_a_skipped_optional_answer_can_be_given_at_the_read_back() -> None:
    step = send(at_read_back(instagram="skip"), "instagram @kat.client")

    assert step.state.answers.instagram is not None
    assert step.state.answers.instagram.handle == "kat.client"
    assert Field.INSTAGRAM not in step.state.answers.skipped


def test_a_reply_that_neither_sends_nor_corrects_asks_what_to_change_and_sends_nothing() -> None:
    step = send(at_read_back(), "hmm wait")

    assert keys(step) == ["read_back.unclear"]
    assert step.state.confirming
    assert not completed(step)
    assert not any(isinstance(event, HandoverRequested) for event in step.events)


def test_a_picture_at_the_read_back_is_added_and_the_answers_read_back_again() -> None:
    step = send(at_read_back(), MediaMessage(media_id="wamid.ref"))

    assert keys(step) == ["media.received", "read_back.ask"]
    assert "• Reference pictures: 1 sent" in rendered(step)


def test_handing_back_to_the_bot_at_the_read_back_reads_the_answers_back_again() -> None:
    handed = send(at_read_back(), "can I talk to a real person")
    assert handed.state.handed_over

    step = resume(handed.state, settings=SETTINGS)

    assert keys(step) == ["read_back.ask"]


def test_long_answers_are_shortened_so_the_read_back_fits_one_whatsapp_message() -> None:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS)
    padding = " and honestly I have been thinking about this design for ages" * 60
    for answer in ["a rose" + padding, "left wrist" + padding, "5x7cm", "fine line" + padding, "skip"]:
        step = send(step, answer)
    for answer in ["£300-400", "Leeds, UK", "weekends in March", "@kat.client"]:
        step = send(step, answer)

    text = rendered(step)

    assert keys(step) == ["read_back.ask"]
    TextContent(body=text)  # within WhatsApp's text limit, or this raises
    assert "• Idea: a rose and honestly" in text
    assert "…" in text


def test_a_question_at_the_read_back_is_answered_and_the_answers_shown_again() -> None:
    step = send(at_read_back(), "how much will it cost roughly?")

    assert keys(step) == ["answer.price", "read_back.ask"]
    assert step.state.confirming
    assert not completed(step)
