"""A reply never queues behind a campaign: the two lanes send side by side on the number's shared rate."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event, text

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent, TextContent
from inkline_contracts.send_routing import Lane, published_subject
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.domain.rate_limit import Unlimited
from inkline_notifier.jobs.sender import Sender, SendPolicy
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.graph import GraphState

MakeSettings = Callable[..., Awaitable[NotifierSettings]]
CLIENT = "447700900555"
AUDIENCE = [f"4477009011{n:02d}" for n in range(40)]
# Slow enough that the campaign is still going out when the client writes.
RATE = 4


async def _publish(bus: Bus, command: SendMessage) -> None:
    """As the outbox relay publishes it: on the command's lane and partition."""
    body = new_envelope(subjects.NOTIFY_SEND, command, correlation_id="campaign").model_dump_json()
    await bus.js.publish(
        published_subject(subjects.NOTIFY_SEND.name, body), body.encode(), stream=subjects.NOTIFY_SEND.stream
    )


async def test_a_reply_goes_out_while_a_campaign_is_still_sending(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings(whatsapp_messages_per_second=RATE)
    offer = TemplateContent(name="flash_day", language="en")
    async with running_service(create_app(settings)):
        for wa_id in AUDIENCE:
            await _publish(
                bus, SendMessage(to=wa_id, content=offer, category=Category.MARKETING, purpose="campaign")
            )
        await eventually(lambda: graph.messages(AUDIENCE[0]), timeout=20)
        await bus.open_window(CLIENT)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await _publish(
            bus, SendMessage(to=CLIENT, content=TextContent(body="Where on your body?"), purpose="consult")
        )
        await eventually(lambda: graph.messages(CLIENT), timeout=30)
        campaign_sent_before_reply = sum(1 for wa_id in AUDIENCE if graph.messages(wa_id))

    assert campaign_sent_before_reply < len(AUDIENCE) // 2, "the reply did not wait for the campaign"


class StopAtFirstCall:
    """Ends the sender's run once it has taken its first batch."""

    async def send(self, body: dict[str, Any]) -> str:
        raise asyncio.CancelledError

    async def aclose(self) -> None:
        return None


def _rows_read(plan: dict[str, Any]) -> int:
    """Rows of outbound_messages a plan node and those under it read, kept or filtered out."""
    read = 0
    if plan.get("Relation Name") == "outbound_messages":
        kept = plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)
        read += int(kept * plan["Actual Loops"])
    return read + sum(_rows_read(child) for child in plan.get("Plans", []))


async def test_taking_a_batch_reads_about_a_batch_of_a_long_campaign_queue(
    make_settings: MakeSettings,
) -> None:
    queued = 5000
    settings = await make_settings()
    engine = make_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO outbound_messages (id, correlation_id, to_wa_id, purpose, category, content)"
                " SELECT gen_random_uuid(), 'campaign', '4476' || lpad(n::text, 8, '0'), 'campaign',"
                " 'marketing', CAST(:offer AS jsonb) FROM generate_series(1, :queued) AS n"
            ),
            {"queued": queued, "offer": TemplateContent(name="flash_day", language="en").model_dump_json()},
        )
        await connection.execute(text("ANALYZE outbound_messages"))
    claims: list[tuple[str, Any]] = []

    def seen(_: Any, __: Any, statement: str, parameters: Any, *___: Any) -> None:
        if "SKIP LOCKED" in statement:
            claims.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    policy = SendPolicy(templates={}, default_template=None, batch_size=16)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    sender = Sender(uow=uow, gateway=StopAtFirstCall(), limiter=Unlimited(), policy=policy, lane=Lane.BULK)
    try:
        with pytest.raises(asyncio.CancelledError):
            await sender.run()
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
        statement, parameters = claims[0]
        async with engine.connect() as connection:
            [[plan]] = (
                await connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
            ).all()
            await connection.rollback()
    finally:
        await engine.dispose()

    # A campaign of thousands queued: the claim reads its front, not every recipient's oldest message.
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert _rows_read(plan[0]["Plan"]) < 200
