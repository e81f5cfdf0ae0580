"""Two replicas of the conversation service share one database and one durable consumer: a client's
messages, spread over both, are still handled one at a time and in the order they were sent."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

SECRET = "replica-secret"
CLIENT = Customer(wa_id="447700900888", name="Robin")
MESSAGES = ("hi", "a rose", "left forearm", "5cm", "fine line", "skip")


async def _lead(url: str) -> dict[str, Any]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        row = (await connection.execute(text("SELECT consultation, status FROM leads"))).one()
    await engine.dispose()
    return {"consultation": row[0], "status": row[1]}


async def test_a_clients_messages_spread_over_two_replicas_are_handled_in_sent_order_once(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str
) -> None:
    settings = ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_graph_url=graph_url,
        whatsapp_app_secret=SECRET,
        log_json=False,
    )
    now = int(time.time())
    async with (
        running_service(create_app(settings)) as first,
        running_service(create_app(settings)) as second,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        for number, body in enumerate(MESSAGES):
            payload = encode(
                text_message(CLIENT, body, message_id=f"wamid.r{number}", timestamp=now + number)
            )
            replica = first if number % 2 == 0 else second
            response = await replica.post(
                "/webhooks/whatsapp",
                content=payload,
                headers={"X-Hub-Signature-256": sign_payload(payload, SECRET)},
            )
            assert response.status_code == 200

        async def references_skipped() -> bool:
            answers = (await _lead(settings.database_url))["consultation"].get("answers", {})
            return "references" in answers.get("skipped", [])

        await eventually(references_skipped, timeout=30)
        await sends.wait_for(lambda messages: any("budget" in _body(m) for m in messages))

    answers = (await _lead(settings.database_url))["consultation"]["answers"]
    assert answers["idea"] == "a rose"
    assert answers["placement"]["description"].lower().startswith("left forearm")
    assert answers["size"]["length_cm"] == 5
    bodies = [_body(message) for message in sends.messages]
    greetings = [body for body in bodies if "booking assistant" in body]
    assert len(greetings) == 1, "no message was handled twice"
    assert bodies.index(next(b for b in bodies if "budget" in b)) == len(bodies) - 1, (
        "the last reply asks the next question"
    )


def _body(message: dict[str, Any]) -> str:
    return str(message["payload"]["content"].get("body", ""))
