"""The artist reads Inkline in their own language (ARTIST_LANGUAGE), whatever language the client writes in.

The in-memory studio drives the real journey; only the artist's setting changes.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from inkline_contracts import subjects
from inkline_contracts.events.notify import ButtonsContent, SendMessage
from inkline_conversation.domain.artist_digest import DigestFacts, render_digest
from inkline_conversation.domain.copy import LANGUAGES, Copy
from inkline_conversation.domain.handover_reasons import handover_reason
from inkline_conversation.domain.parsing.preload import preload_vocabularies
from inkline_conversation.domain.status_words import status_words
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.artist_buttons import button_label
from inkline_conversation.testing import studio as studio_module
from inkline_conversation.testing.studio import ARTIST, NOON, SETTINGS, Studio, slots_from

# WhatsApp cuts reply-button titles at 20 characters.
BUTTON_TITLE_LIMIT = 20


@pytest.fixture(scope="module", autouse=True)
def vocabularies() -> None:
    """Load the parsers' word lists once, as the service does at start-up, so no test pays for it."""
    preload_vocabularies()


@pytest.fixture
def spanish_studio(monkeypatch: pytest.MonkeyPatch) -> Studio:
    """The test studio, with an artist who reads Spanish and an English-speaking client."""
    monkeypatch.setattr(studio_module, "SETTINGS", SETTINGS.model_copy(update={"artist_language": "es"}))
    return Studio()


async def _qualified(studio: Studio) -> None:
    """The consultation is done and the calendar says the artist is in the client's city: a summary goes."""
    await studio.consult()
    await studio.answer_slots(slots_from(NOON + timedelta(days=5), count=3))


def _buttons_to_artist(studio: Studio) -> list[str]:
    sends: list[SendMessage] = studio.published(subjects.NOTIFY_SEND)
    last = [send for send in sends if send.to == ARTIST][-1]
    assert isinstance(last.content, ButtonsContent)
    return [button.title for button in last.content.buttons]


async def test_the_lead_summary_is_in_the_artist_s_language(spanish_studio: Studio) -> None:
    spanish_studio.store.artist_last_wrote = spanish_studio.clock()  # the artist's window is open: buttons

    await _qualified(spanish_studio)

    summary = spanish_studio.texts_to_artist()[-1]
    assert summary.startswith("Nuevo cliente: Sam")
    for line in ("*Idioma:* Inglés", "*Idea:* a rose with a thin stem", "*Zona:* left inner forearm"):
        assert line in summary
    assert "*Tamaño:* 15x10 cm (sesión mediana)" in summary
    assert "*Presupuesto:*" in summary
    assert "*Señal estimada:* 100\u00a0GBP" in summary, "amounts written the Spanish way"
    assert "Desliza este mensaje a la derecha" in summary
    assert "Budget" not in summary
    assert "Swipe" not in summary
    assert "That's everything" in spanish_studio.texts_to_client()[-1], "the client still reads English"
    assert _buttons_to_artist(spanish_studio) == ["Aceptar", "Rechazar", "Lo llevo yo"]


async def test_a_handover_packet_is_in_the_artist_s_language(spanish_studio: Studio) -> None:
    for answer in ("a koi fish", "upper arm", "big", "really huge"):
        await spanish_studio.say(answer)

    assert spanish_studio.status() is LeadStatus.NEEDS_ARTIST
    packet = spanish_studio.texts_to_artist()[-1]
    assert "*Sam te necesita* (no entendí su respuesta dos veces: el tamaño)." in packet
    assert "*Lo que ha escrito hasta ahora:*" in packet
    assert "really huge" in packet, "the client's words stay as they wrote them"
    assert "needs you" not in packet


async def test_a_client_s_message_after_the_handover_reaches_the_artist_in_their_language(
    spanish_studio: Studio,
) -> None:
    for answer in ("a koi fish", "upper arm", "big", "really huge"):
        await spanish_studio.say(answer)

    await spanish_studio.say("hello? are you there?")

    forwarded = spanish_studio.texts_to_artist()[-1]
    assert forwarded.startswith("*Sam:* hello? are you there?\n\nDesliza a la derecha para contestar")
    assert "Swipe" not in forwarded


async def test_a_tap_answers_the_artist_in_their_language(spanish_studio: Studio) -> None:
    await _qualified(spanish_studio)

    answer = await spanish_studio.artist_taps(ActionKind.APPROVE)

    assert answer == "Aceptado. Sam recibirá tus huecos libres para elegir."


async def test_handing_the_chat_back_answers_the_artist_in_their_language(spanish_studio: Studio) -> None:
    await _qualified(spanish_studio)
    await spanish_studio.artist_taps(ActionKind.TAKE_OVER)

    answer = await spanish_studio.artist_taps(ActionKind.RESUME_BOT)

    assert answer == "El asistente vuelve a llevarlo; Sam vuelve a estar esperando tu decisión."


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_artist_button_has_a_title_that_fits_whatsapp(language: str) -> None:
    copy = Copy.for_language(language)

    titles = {action: button_label(action, copy) for action in ActionKind}

    assert {action: title for action, title in titles.items() if len(title) > BUTTON_TITLE_LIMIT} == {}
    if language != "en":
        english = Copy.for_language("en")
        assert [action for action in ActionKind if titles[action] == button_label(action, english)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_status_and_handover_reason_reads_as_words_in_every_language(language: str) -> None:
    copy = Copy.for_language(language)

    assert all("_" not in status_words(status, copy) for status in LeadStatus)
    assert "_" not in handover_reason("two_strikes", "windows", copy)
    assert handover_reason("something_new", None, copy) == "something new"


def test_the_daily_digest_is_in_the_artist_s_language() -> None:
    facts = DigestFacts(day=date(2026, 12, 3), new_leads=2, waiting=[f"Cliente {n}" for n in range(7)])

    digest = render_digest(facts, Copy.for_language("es"))

    assert digest == (
        "*Tu día, jue, 3 dic*\n"
        "*Esperando tu decisión:* Cliente 0, Cliente 1, Cliente 2, Cliente 3, Cliente 4 y 2 más\n"
        "*Clientes nuevos desde ayer:* 2"
    )


def test_an_artist_language_inkline_has_no_texts_for_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="artist_language"):
        SETTINGS.model_validate({**SETTINGS.model_dump(), "artist_language": "nl"})
