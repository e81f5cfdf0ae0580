"""Two notifier replicas take notify.send's partitions side by side and both send: many clients' replies,
published the way the outbox relay publishes them, each reach their client once and in the order written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nats.js import JetStreamContext
from sqlalchemy import func, select

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_contracts.send_routing import all_send_tokens, published_subject
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.db.models import OutboundMessage
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_platform.db import make_engine
from inkline_sandbox.graph import GraphState

MakeSettings = Callable[..., Awaitable[NotifierSettings]]
CLIENTS = [f"4477009002{n:02d}" for n in range(12)]
PARTS = 6


async def _partitions_used(js: JetStreamContext) -> int:
    """How many of the partition consumers were handed a message."""
    used = 0
    for token in all_send_tokens():
        info = await js.consumer_info(subjects.NOTIFY_SEND.stream, f"notifier-send-{token}")
        used += info.delivered.stream_seq > 0
    return used


async def _sends_by_replica(database_url: str) -> dict[str, int]:
    """How many messages each replica made the call for, as the sender records it."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(OutboundMessage.sent_by, func.count()).group_by(OutboundMessage.sent_by)
            )
            return {str(replica): count for replica, count in rows.all()}
    finally:
        await engine.dispose()


async def test_many_clients_replies_go_through_the_partitions_in_order_across_two_replicas(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings()
    said = {client: [f"{client} part {n}" for n in range(PARTS)] for client in CLIENTS}
    async with running_service(create_app(settings)), running_service(create_app(settings)):
        for client in CLIENTS:
            await bus.open_window(client)
        await bus.wait_consumed(
            subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=len(CLIENTS)
        )
        # Interleaved across clients, as the conversation service answers many at once.
        for n in range(PARTS):
            for client in CLIENTS:
                command = SendMessage(to=client, content=TextContent(body=said[client][n]), purpose="consult")
                envelope = new_envelope(subjects.NOTIFY_SEND, command, correlation_id=client)
                body = envelope.model_dump_json()
                await bus.js.publish(
                    published_subject(subjects.NOTIFY_SEND.name, body),
                    body.encode(),
                    stream=subjects.NOTIFY_SEND.stream,
                )
        await eventually(lambda: len(graph.messages()) >= len(CLIENTS) * PARTS, timeout=60)
        used = await _partitions_used(bus.js)
    senders = await _sends_by_replica(settings.database_url)

    for client in CLIENTS:
        assert [message.text for message in graph.messages(client)] == said[client]
    assert used > 1, "the clients were spread over several partitions, not queued in one"
    assert len(senders) == 2, f"both replicas sent: {senders}"
    assert sum(senders.values()) == len(CLIENTS) * PARTS
