from __future__ import annotations

from typing import Any

import nats
from nats.js.api import ConsumerConfig

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_devstack.harness import running_service
from inkline_platform.consumer import ORDERED_ACK_WAIT_SECONDS
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings
from inkline_platform.uow import UnitOfWork


async def _ignore(uow: UnitOfWork, envelope: Envelope[Any]) -> None:
    return None


async def test_start_brings_a_consumer_made_by_an_older_release_to_its_current_configuration(
    database_url: str, nats_url: str
) -> None:
    settings = ServiceSettings(
        database_url=database_url, nats_url=nats_url, log_json=False, consumer_ack_wait_seconds=12
    )
    durable = "upgraded-send"
    # An earlier release ran once: the streams and its consumer exist.
    earlier = ServiceRuntime(service="upgraded", settings=settings)
    earlier.consume(subjects.NOTIFY_SEND, _ignore, name="send")
    async with running_service(earlier.create_app(title="earlier")) as service:
        assert (await service.get("/readyz")).status_code == 200
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        # As an older release left it: many messages in flight and another ack wait.
        await js.add_consumer(
            subjects.NOTIFY_SEND.stream,
            config=ConsumerConfig(
                name=durable,
                durable_name=durable,
                filter_subject=subjects.NOTIFY_SEND.name,
                max_ack_pending=1000,
                ack_wait=5,
            ),
        )

        upgraded = ServiceRuntime(service="upgraded", settings=settings)
        upgraded.consume(subjects.NOTIFY_SEND, _ignore, name="send", ordered=True)
        async with running_service(upgraded.create_app(title="upgraded")):
            info = await js.consumer_info(subjects.NOTIFY_SEND.stream, durable)
    finally:
        await client.close()

    assert info.config.max_ack_pending == 1
    assert info.config.ack_wait == 12


async def test_an_ordered_consumer_hands_a_dead_replicas_message_on_sooner_than_the_general_ack_wait(
    database_url: str, nats_url: str
) -> None:
    settings = ServiceSettings(
        database_url=database_url, nats_url=nats_url, log_json=False, consumer_ack_wait_seconds=60
    )
    runtime = ServiceRuntime(service="stalls", settings=settings)
    runtime.consume(subjects.NOTIFY_SEND, _ignore, name="send", ordered=True)
    runtime.consume(subjects.MESSAGE_SENT, _ignore, name="sent")
    async with running_service(runtime.create_app(title="stalls")):
        client = await nats.connect(nats_url)
        try:
            js = client.jetstream()
            ordered = await js.consumer_info(subjects.NOTIFY_SEND.stream, "stalls-send")
            unordered = await js.consumer_info(subjects.MESSAGE_SENT.stream, "stalls-sent")
        finally:
            await client.close()

    assert ordered.config.ack_wait == ORDERED_ACK_WAIT_SECONDS
    assert unordered.config.ack_wait == 60
    assert unordered.config.max_ack_pending != 1
