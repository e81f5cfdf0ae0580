"""notify.send is consumed per partition of its recipients: in order within one, the others go on meanwhile."""

from __future__ import annotations

import asyncio

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_contracts.send_routing import all_send_tokens, send_token
from inkline_devstack.harness import eventually, running_service
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings
from inkline_platform.uow import UnitOfWork


def _send(to: str, body: str) -> SendMessage:
    return SendMessage(to=to, content=TextContent(body=body), purpose="consult_question")


def _two_recipients_in_different_partitions() -> tuple[str, str]:
    first = "447700900100"
    for n in range(101, 200):
        other = f"447700900{n}"
        if send_token(_send(other, "x")) != send_token(_send(first, "x")):
            return first, other
    raise AssertionError("every number hashed to one partition")


async def test_a_stuck_send_holds_up_only_its_own_recipients_partition(
    database_url: str, nats_url: str
) -> None:
    runtime = ServiceRuntime(
        service="partitioned",
        settings=ServiceSettings(
            database_url=database_url, nats_url=nats_url, log_json=False, outbox_poll_seconds=0.05
        ),
    )
    stuck, waiting = _two_recipients_in_different_partitions()
    release = asyncio.Event()
    handled: list[str] = []

    async def handle(work: UnitOfWork, envelope: Envelope[SendMessage]) -> None:
        content = envelope.payload.content
        assert isinstance(content, TextContent)
        if content.body == "stuck 1":
            await release.wait()
        handled.append(content.body)

    runtime.consume(subjects.NOTIFY_SEND, handle, name="send", ordered=True, partitions=all_send_tokens())
    async with running_service(runtime.create_app(title="partitioned")):
        async with runtime.uow() as work:
            for to, body in ((stuck, "stuck 1"), (stuck, "stuck 2"), (waiting, "other client")):
                work.publish(subjects.NOTIFY_SEND, _send(to, body), correlation_id="lead-1")
            await work.commit()

        await eventually(lambda: "other client" in handled)
        assert handled == ["other client"], "the stuck client's second part waits for its first"
        release.set()
        await eventually(lambda: len(handled) == 3)

    assert handled == ["other client", "stuck 1", "stuck 2"]
