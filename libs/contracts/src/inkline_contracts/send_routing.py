"""Where a `notify.send` travels on JetStream: a lane and a partition of its recipient.

A client must read a reply's parts in the order they were written, but one client's messages need not
wait for another's. So a command is published on `<notify.send>.<lane>-<partition>`: every message to one
recipient lands in the same partition of its lane, and the notifier consumes each partition in order
(one message in flight) while the partitions go in parallel, across replicas.

Two lanes, so a reply never queues behind a campaign: marketing (campaigns, nurture sequences) travels in
`bulk`, everything a person is waiting for (replies, reminders, alerts) in `reply`.

The outbox keeps the subject's plain name; the outbox relay routes each row when it publishes it
(`published_subject`), so no publisher spells a partition. A message on the plain name (from a publisher
that predates the partitions) is still consumed, in order, by the notifier's one unpartitioned consumer.
"""

from __future__ import annotations

import json
import zlib
from enum import StrEnum

from inkline_contracts.events.notify import Category, SendMessage
from inkline_contracts.subjects import NOTIFY_SEND

# Changing it moves recipients between partitions: drain notify.send first (order is kept only within one).
SEND_PARTITIONS = 8


class Lane(StrEnum):
    REPLY = "reply"
    BULK = "bulk"


def recipient_key(command: SendMessage) -> str:
    """The one identity a send's order is kept by: who reads it."""
    return command.to


def lane(command: SendMessage) -> Lane:
    return Lane.BULK if command.category is Category.MARKETING else Lane.REPLY


def partition_token(lane: Lane, partition: int) -> str:
    return f"{lane.value}-{partition}"


def send_token(command: SendMessage) -> str:
    """`<lane>-<partition>` of one command; crc32, not `hash()`, so every process agrees."""
    partition = zlib.crc32(recipient_key(command).encode()) % SEND_PARTITIONS
    return partition_token(lane(command), partition)


def all_send_tokens() -> list[str]:
    return [partition_token(lane, partition) for lane in Lane for partition in range(SEND_PARTITIONS)]


def published_subject(subject: str, body: bytes | str) -> str:
    """The JetStream subject an outbox row with this subject and envelope body is published on."""
    if subject != NOTIFY_SEND.name:
        return subject
    try:
        command = SendMessage.model_validate(json.loads(body)["payload"])
    except (ValueError, KeyError, TypeError):
        # Unreadable: the plain name, where the notifier's consumer dead-letters it rather than the relay
        # retrying it for ever.
        return subject
    return f"{subject}.{send_token(command)}"
