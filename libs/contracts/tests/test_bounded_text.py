"""Client free text in events is bounded: producers cannot exceed the bound, consumers never reject for it."""

from __future__ import annotations

import json
import uuid

import pytest

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.events.lead import LeadCreated, LeadQualified
from inkline_contracts.text import ELLIPSIS, IDEA_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH, bounded

LONG = "a lovely rose with thorns " * 80  # 2,000 characters


def _qualified(**answers: object) -> dict[str, object]:
    return {
        "lead_id": str(uuid.uuid4()),
        "wa_id": "447700900123",
        "idea": "a rose",
        "placement": "forearm",
        "size_category": "medium",
        "budget_min": {"amount_minor": 30000, "currency": "GBP"},
        "budget_max": {"amount_minor": 40000, "currency": "GBP"},
        "city": "London",
        "country_code": "GB",
    } | answers


def test_text_within_the_bound_is_left_alone() -> None:
    assert bounded("a rose", 6) == "a rose"


def test_longer_text_ends_on_a_whole_word_and_an_ellipsis_within_the_bound() -> None:
    cut = bounded(LONG, 100)

    kept = cut.removesuffix(ELLIPSIS)
    assert len(cut) <= 100
    assert cut.endswith(ELLIPSIS)
    assert LONG.startswith(kept + " "), "the cut falls between two words"
    assert len(kept) >= 80


def test_one_long_word_is_cut_mid_word_rather_than_lost() -> None:
    assert bounded("x" * 50, 10) == "x" * 9 + ELLIPSIS


def test_a_bound_must_leave_room_for_the_ellipsis() -> None:
    with pytest.raises(ValueError, match="ellipsis"):
        bounded(LONG, 0)


def test_a_producer_cannot_publish_a_longer_answer_than_the_bound() -> None:
    qualified = LeadQualified.model_validate(
        _qualified(idea=LONG, placement=LONG, style=LONG, city=LONG, instagram=LONG)
    )

    assert len(qualified.idea) <= IDEA_MAX_LENGTH
    for answer in (qualified.placement, qualified.style, qualified.city, qualified.instagram):
        assert answer is not None
        assert len(answer) <= SHORT_TEXT_MAX_LENGTH
        assert answer.endswith(ELLIPSIS)


def test_an_older_unbounded_message_is_read_shortened_not_rejected() -> None:
    # As a producer released before the bound wrote it: the JSON itself carries the long answers.
    envelope = new_envelope(
        subjects.LEAD_QUALIFIED, LeadQualified.model_validate(_qualified()), correlation_id="t"
    )
    body = json.loads(envelope.model_dump_json())
    body["payload"] |= {"style": LONG, "city": LONG}

    read = Envelope[LeadQualified].model_validate_json(json.dumps(body))

    assert read.payload.style == bounded(LONG, SHORT_TEXT_MAX_LENGTH)
    assert read.payload.city == bounded(LONG, SHORT_TEXT_MAX_LENGTH)


def test_a_long_profile_name_is_bounded_like_any_client_text() -> None:
    created = LeadCreated(lead_id=uuid.uuid4(), wa_id="447700900123", profile_name=LONG)

    assert created.profile_name is not None
    assert len(created.profile_name) <= SHORT_TEXT_MAX_LENGTH
