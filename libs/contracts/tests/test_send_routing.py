"""Which JetStream subject a notify.send is published on: its lane and its recipient's partition."""

from __future__ import annotations

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.lead import LeadCancelled
from inkline_contracts.events.notify import Category, SendMessage, TextContent
from inkline_contracts.send_routing import all_send_tokens, published_subject, send_token

CLIENT = "447700900100"


def _send(to: str, body: str, *, category: Category = Category.SERVICE) -> SendMessage:
    return SendMessage(to=to, content=TextContent(body=body), category=category, purpose="consult_question")


def test_every_send_to_one_recipient_in_one_lane_shares_a_partition() -> None:
    tokens = {send_token(_send(CLIENT, f"part {n}")) for n in range(5)}

    assert len(tokens) == 1
    assert tokens <= set(all_send_tokens())


def test_marketing_and_replies_to_one_recipient_travel_in_separate_lanes() -> None:
    reply = send_token(_send(CLIENT, "Where on your body?"))
    campaign = send_token(_send(CLIENT, "Flash day!", category=Category.MARKETING))

    assert reply.startswith("reply-")
    assert campaign.startswith("bulk-")


def test_recipients_spread_over_the_partitions() -> None:
    tokens = {send_token(_send(f"4477009{n:05d}", "hi")) for n in range(200)}

    assert len(tokens) == len(all_send_tokens()) // 2, "200 numbers reach every partition of the reply lane"


def test_the_relay_publishes_a_send_on_its_partition_and_anything_else_on_its_own_name() -> None:
    send = new_envelope(subjects.NOTIFY_SEND, _send(CLIENT, "hi"), correlation_id="lead-1")
    other = new_envelope(
        subjects.LEAD_CANCELLED, LeadCancelled(lead_id=send.message_id, reason="x"), correlation_id="l"
    )

    assert published_subject(subjects.NOTIFY_SEND.name, send.model_dump_json()) == (
        f"{subjects.NOTIFY_SEND.name}.{send_token(send.payload)}"
    )
    assert (
        published_subject(subjects.LEAD_CANCELLED.name, other.model_dump_json())
        == subjects.LEAD_CANCELLED.name
    )
    assert published_subject(subjects.NOTIFY_SEND.name, "not json") == subjects.NOTIFY_SEND.name
