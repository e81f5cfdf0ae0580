from __future__ import annotations

from inkline_conversation.domain.client_label import chat_link, client_label

BSUID = "GB.13491208655302741918"


def test_a_username_client_is_shown_and_reached_by_username() -> None:
    assert client_label(address=BSUID, phone=None, username="inked.sam") == "@inked.sam"
    assert (
        chat_link(address=BSUID, phone=None, username="inked.sam")
        == "@inked.sam on WhatsApp (no number shared)"
    )


def test_a_client_with_a_phone_is_shown_masked_and_linked_by_number() -> None:
    assert client_label(address=BSUID, phone="447700900123", username=None) == "+44…23"
    assert chat_link(address=BSUID, phone="447700900123", username=None) == "https://wa.me/447700900123"
    assert chat_link(address="447700900123", phone=None, username=None) == "https://wa.me/447700900123"


def test_a_bsuid_only_client_without_username_is_shown_by_a_masked_identifier() -> None:
    label = client_label(address=BSUID, phone=None, username=None)

    assert label == "GB.…18"
    assert "wa.me" not in chat_link(address=BSUID, phone=None, username=None)
