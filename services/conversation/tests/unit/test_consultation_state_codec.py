import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_conversation.domain.consultation import ConsultationSettings, advance, start
from inkline_conversation.domain.consultation_codec import StateFormatError, state_from_dict, state_to_dict
from inkline_conversation.domain.consultation_events import Inbound, MediaMessage, TextMessage
from inkline_conversation.domain.consultation_state import ConsultationState, Field

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
SETTINGS = ConsultationSettings(artist_name="Kat", currency="GBP")


def test_a_state_with_every_answer_type_survives_a_json_round_trip() -> None:
    state = start(now=NOW, tz=LONDON, settings=SETTINGS).state
    inbounds: list[Inbound] = [
        TextMessage("a rose on my left wrist, 10x15cm"),
        TextMessage("fine line"),
        MediaMessage(media_id="wamid.1", caption=None),
        TextMessage("max £600"),
        TextMessage("berlin germany"),
        TextMessage("not too big"),
        TextMessage("weekday evenings in March"),
        TextMessage("not too big"),
    ]
    for inbound in inbounds:
        state = advance(state, inbound, now=NOW, tz=LONDON, settings=SETTINGS).state

    stored = json.loads(json.dumps(state_to_dict(state)))
    restored = state_from_dict(stored)

    assert restored == state
    assert restored.answers.windows is not None
    assert restored.answers.windows[0].start.tzinfo == LONDON
    assert stored["strikes"] == {"windows": 1}
    assert restored.confirming, "an optional question missed once is skipped, and the answers read back"
    assert stored["answers"]["budget"] == {"min_minor": 0, "max_minor": 60000, "currency": "GBP"}


def test_skipped_fields_and_flags_are_stored() -> None:
    state = ConsultationState(current=Field.BUDGET, handed_over=True)
    state = ConsultationState(
        current=state.current,
        answers=state.answers.with_skipped(Field.STYLE),
        handed_over=True,
    )

    stored = state_to_dict(state)

    assert stored["answers"]["skipped"] == ["style"]
    assert stored["handed_over"] is True
    assert state_from_dict(stored) == state


def test_unknown_versions_are_refused() -> None:
    stored = state_to_dict(ConsultationState())
    stored["version"] = 99

    with pytest.raises(StateFormatError):
        state_from_dict(stored)


def test_malformed_state_raises_a_format_error() -> None:
    stored = state_to_dict(ConsultationState())
    stored["current"] = "favourite_colour"

    with pytest.raises(StateFormatError):
        state_from_dict(stored)


def test_storing_a_value_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError):
        ConsultationState().answers.with_value(Field.SIZE, "ten cm")


def test_a_size_named_instead_of_measured_keeps_its_name_through_a_round_trip() -> None:
    state = start(now=NOW, tz=LONDON, settings=SETTINGS).state
    for text in ("a koi", "forearm", "half sleeve"):
        state = advance(state, TextMessage(text), now=NOW, tz=LONDON, settings=SETTINGS).state

    stored = json.loads(json.dumps(state_to_dict(state)))

    assert stored["answers"]["size"]["named"] == "half sleeve"
    assert state_from_dict(stored) == state
