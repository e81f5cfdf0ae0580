"""A queued notify.send read back as a thread message: who said it, and what the client read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inkline_conversation.db.threads import sent_message

CLIENT = "447700900800"
AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def envelope(to: str, content: dict[str, Any], purpose: str) -> dict[str, Any]:
    return {"type": "notify.send", "payload": {"to": to, "content": content, "purpose": purpose}}


def test_a_message_to_the_artist_about_the_lead_is_not_part_of_the_clients_thread() -> None:
    alert = envelope("447700900123", {"kind": "text", "body": "Sam needs you"}, "artist_alert")
    assert sent_message(alert, CLIENT, AT) is None


def test_the_artists_relayed_words_are_the_artists_and_the_rest_the_assistants() -> None:
    relayed = sent_message(envelope(CLIENT, {"kind": "text", "body": "Yes!"}, "artist_reply"), CLIENT, AT)
    question = sent_message(
        envelope(CLIENT, {"kind": "buttons", "body": "Which day?"}, "slot_offer"), CLIENT, AT
    )
    assert relayed is not None
    assert (relayed.sender, relayed.text) == ("artist", "Yes!")
    assert question is not None
    assert (question.sender, question.kind, question.text) == ("assistant", "buttons", "Which day?")


def test_a_template_reads_as_its_last_parameter_the_words_that_were_said() -> None:
    content = {
        "kind": "template",
        "name": "inkline_artist_reply",
        "body_parameters": ["Mara", "Free Friday?"],
    }
    message = sent_message(envelope(CLIENT, content, "artist_reply"), CLIENT, AT)
    assert message is not None
    assert (message.text, message.template) == ("Free Friday?", "inkline_artist_reply")
