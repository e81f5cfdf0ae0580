from __future__ import annotations

import uuid
from typing import cast

import pytest
from pydantic import ValidationError

from inkline_contracts import ALL_SUBJECTS, Envelope, Subject, new_envelope, subject_by_name
from inkline_contracts.base import Contract
from inkline_contracts.events.lead import LeadCreated
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_contracts.examples import EXAMPLES
from inkline_contracts.subjects import LEAD_CREATED, NOTIFY_SEND


def test_every_subject_has_an_example_payload() -> None:
    assert sorted(EXAMPLES) == sorted(subject.name for subject in ALL_SUBJECTS)


@pytest.mark.parametrize("subject", ALL_SUBJECTS, ids=lambda subject: subject.name)
def test_every_message_survives_a_json_round_trip(subject: Subject[Contract]) -> None:
    envelope = new_envelope(
        subject, EXAMPLES[subject.name], correlation_id="lead-1", causation_id=uuid.uuid4()
    )

    parsed = Envelope[subject.payload].model_validate_json(envelope.model_dump_json())  # type: ignore[name-defined]

    assert parsed == envelope
    assert parsed.type == subject.name


def test_subject_names_follow_the_versioned_noun_verb_scheme() -> None:
    for subject in ALL_SUBJECTS:
        prefix, context, event, version = subject.name.split(".")
        assert prefix == "inkline"
        assert version in {"v1", "v2"}
        assert context.isidentifier()
        assert event.isidentifier()


def test_subject_names_are_unique_and_found_by_name() -> None:
    names = [subject.name for subject in ALL_SUBJECTS]
    assert len(names) == len(set(names))
    assert subject_by_name("inkline.lead.created.v2") is LEAD_CREATED


def test_envelope_refuses_a_payload_of_another_subject() -> None:
    with pytest.raises(TypeError, match=r"inkline\.lead\.created\.v2 carries LeadCreated"):
        new_envelope(LEAD_CREATED, cast(LeadCreated, EXAMPLES[NOTIFY_SEND.name]), correlation_id="x")


def test_consumer_ignores_fields_added_by_a_newer_producer() -> None:
    envelope = new_envelope(
        LEAD_CREATED, cast(LeadCreated, EXAMPLES[LEAD_CREATED.name]), correlation_id="lead-1"
    )
    data = envelope.model_dump(mode="json")
    data["payload"]["loyalty_tier"] = "gold"
    data["schema_hint"] = 2

    parsed = Envelope[LeadCreated].model_validate(data)

    assert parsed.payload == envelope.payload


def test_timestamps_without_timezone_are_rejected() -> None:
    data = new_envelope(
        LEAD_CREATED, cast(LeadCreated, EXAMPLES[LEAD_CREATED.name]), correlation_id="x"
    ).model_dump(mode="json")
    data["occurred_at"] = "2027-03-12T11:00:00"

    with pytest.raises(ValidationError, match="timezone"):
        Envelope[LeadCreated].model_validate(data)


def test_interactive_limits_of_whatsapp_are_enforced_in_the_contract() -> None:
    with pytest.raises(ValidationError):
        SendMessage.model_validate(
            {
                "to": "447700900123",
                "purpose": "x",
                "content": {
                    "kind": "buttons",
                    "body": "pick",
                    "buttons": [{"id": str(i), "title": f"b{i}"} for i in range(4)],
                },
            }
        )
    assert SendMessage(to="447700900123", content=TextContent(body="hi"), purpose="x").content.kind == "text"
