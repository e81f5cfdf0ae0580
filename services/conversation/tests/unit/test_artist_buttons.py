"""How a decision reaches the artist: buttons in their window, a template with quick replies outside it,
links only when no approved template has those buttons; and why a chat came to them, in plain words."""

from __future__ import annotations

from inkline_contracts.events.notify import ButtonsContent, TemplateContent, TextContent
from inkline_conversation.domain.handover_reasons import handover_reason
from inkline_conversation.domain.status_words import status_words
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.artist_buttons import decision_content, template_key
from inkline_conversation.journey.artist_taps import token_of

LINKS = {
    ActionKind.APPROVE: "http://artist.test/actions/tok-approve",
    ActionKind.REJECT: "http://artist.test/actions/tok-reject",
}


def body(actions_text: str) -> str:
    return "New lead: Sam\n*Idea:* a swallow" + (f"\n\n{actions_text}" if actions_text else "")


def test_inside_the_artists_window_the_decision_is_reply_buttons_carrying_the_tokens() -> None:
    content = decision_content(body, LINKS, window_open=True, template="inkline_artist_lead_decision_short")

    assert isinstance(content, ButtonsContent)
    assert content.body == "New lead: Sam\n*Idea:* a swallow"
    assert [(b.id, b.title) for b in content.buttons] == [
        ("act:tok-approve", "Approve"),
        ("act:tok-reject", "Decline"),
    ]
    assert [token_of(b.id) for b in content.buttons] == ["tok-approve", "tok-reject"]


def test_outside_it_an_approved_template_carries_the_text_on_one_line_and_the_quick_replies() -> None:
    content = decision_content(body, LINKS, window_open=False, template="inkline_artist_lead_decision_short")

    assert isinstance(content, TemplateContent)
    assert content.name == "inkline_artist_lead_decision_short"
    assert content.body_parameters == ["New lead: Sam · *Idea:* a swallow"], "lines kept apart, no newline"
    assert content.quick_reply_payloads == ["act:tok-approve", "act:tok-reject"]


def test_without_a_template_for_those_buttons_the_links_go_as_a_fallback() -> None:
    content = decision_content(body, LINKS, window_open=False, template=None)

    assert isinstance(content, TextContent)
    assert content.body.endswith(
        "Approve: http://artist.test/actions/tok-approve\nDecline: http://artist.test/actions/tok-reject"
    )


def test_a_row_of_buttons_is_named_by_its_actions_in_order() -> None:
    assert (
        template_key((ActionKind.RESUME_BOT, ActionKind.APPROVE, ActionKind.REJECT))
        == "resume_bot+approve+reject"
    )


def test_only_our_buttons_carry_a_token() -> None:
    assert token_of("act:abc") == "abc"
    assert token_of("appt:keep") is None
    assert token_of(None) is None


def test_why_a_chat_came_to_the_artist_reads_as_plain_words() -> None:
    assert handover_reason("two_strikes", "windows") == "couldn't read their answer twice: the dates"
    assert handover_reason("haggle", None) == "wants to talk about the price"
    assert handover_reason("slot_pick_unclear", "slot") == "couldn't tell which time they picked"
    assert handover_reason("something_new", None) == "something new", "never an underscore"


def test_every_status_has_words_for_the_artist() -> None:
    assert all("_" not in status_words(status) for status in LeadStatus)
    assert status_words(LeadStatus.SLOTS_OFFERED) == "choosing a time"
    assert status_words(LeadStatus.DEPOSIT_REQUESTED) == "due to pay the deposit"
