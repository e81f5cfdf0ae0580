"""A message written to one service's outbox reaches a consumer in another service exactly once.

The probe consumer's effect (an insert per handled message) is deliberately not idempotent, so only the
platform's inbox can keep it at one row when the same message arrives twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import nats
import pytest
from faststream.nats.message import NatsMessage
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_campaigns.app import create_app as create_campaigns
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import new_envelope, subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import LeadCreated, LeadOptedOut
from inkline_contracts.subjects import dead_letter_subject
from inkline_conversation.app import create_app as create_conversation
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_platform.uow import UnitOfWork
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
PROBE = "campaigns-effect-probe"


async def _scalar(url: str, sql: str) -> Any:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        value = await connection.scalar(text(sql))
    await engine.dispose()
    return value


async def _execute(url: str, sql: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(sql))
    await engine.dispose()


def _consumed(outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "inkline_messages_consumed_total", {"service": "campaigns", "consumer": PROBE, "outcome": outcome}
    )
    return value or 0.0


async def record_effect(uow: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Test probe: one row per handled message."""
    await uow.session.execute(
        text("INSERT INTO effect_log (message_id) VALUES (:id)"), {"id": envelope.message_id}
    )


async def test_outbox_message_reaches_another_service_once_despite_relay_crash_and_redelivery(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_db = await migrated_database(MIGRATIONS["conversation"])
    campaigns_db = await migrated_database(MIGRATIONS["campaigns"])
    await _execute(campaigns_db, "CREATE TABLE effect_log (id serial PRIMARY KEY, message_id uuid NOT NULL)")
    conversation = create_conversation(
        ConversationSettings(
            database_url=conversation_db,
            nats_url=nats_url,
            whatsapp_app_secret="s",
            whatsapp_graph_url=graph_url,
            log_json=False,
        )
    )
    campaigns = create_campaigns(
        CampaignsSettings(
            database_url=campaigns_db, nats_url=nats_url, consumer_ack_wait_seconds=1.0, log_json=False
        )
    )
    campaigns.state.runtime.consume(subjects.LEAD_CREATED, record_effect, name="effect-probe")

    # (a) The relay publishes, then dies before it marks the rows sent.
    relay = conversation.state.runtime.relay
    mark_published = relay._mark_published
    crashes: list[list[int]] = []

    async def crash_once(session: Any, seqs: list[int]) -> None:
        if not crashes:
            crashes.append(seqs)
            raise RuntimeError("relay crashed after publish, before marking sent")
        await mark_published(session, seqs)

    monkeypatch.setattr(relay, "_mark_published", crash_once)

    # (b) The probe's first acknowledgement is lost on the way to the server, so JetStream redelivers.
    real_ack = NatsMessage.ack
    lost_acks: list[int] = []

    async def lossy_ack(self: NatsMessage) -> None:
        metadata = self.raw_message.metadata
        if metadata.consumer == PROBE and not lost_acks:
            lost_acks.append(metadata.sequence.stream)
            return
        await real_ack(self)

    monkeypatch.setattr(NatsMessage, "ack", lossy_ack)
    duplicates_before = _consumed("duplicate")

    body = encode(text_message(Customer(wa_id="447700900321", name="Alex"), "hi", message_id="wamid.ONCE"))
    async with running_service(campaigns), running_service(conversation) as client:
        response = await client.post(
            "/webhooks/whatsapp", content=body, headers={"X-Hub-Signature-256": sign_payload(body, "s")}
        )
        assert response.status_code == 200
        await eventually(lambda: _consumed("duplicate") >= duplicates_before + 1)
        # The relay's retry (publish again, then mark) runs on its own backoff, not before the redelivery:
        # once every row is marked, the second publish has happened and the stream can be counted.
        await eventually(lambda: _all_published(conversation_db))
        stream = await _stream_messages(nats_url, subjects.LEAD_CREATED.stream, subjects.LEAD_CREATED.name)

        # (c) The same message again after JetStream's duplicate window: only the inbox stands in the way.
        row = await _scalar(
            conversation_db,
            f"SELECT body FROM outbox WHERE subject = '{subjects.LEAD_CREATED.name}'",  # noqa: S608 - a constant
        )
        client_nats = await nats.connect(nats_url)
        await client_nats.jetstream().publish(
            subjects.LEAD_CREATED.name, row.encode(), headers={"Nats-Msg-Id": str(uuid.uuid4())}
        )
        await client_nats.close()
        await eventually(lambda: _consumed("duplicate") >= duplicates_before + 2)

    assert len(crashes) == 1
    assert len(lost_acks) == 1
    assert stream == 1, "the relay's second publish must be dropped by JetStream's de-duplication"
    assert await _scalar(campaigns_db, "SELECT count(*) FROM effect_log") == 1
    assert await _scalar(campaigns_db, "SELECT count(*) FROM leads") == 1


async def _all_published(url: str) -> bool:
    unpublished: int = await _scalar(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    return unpublished == 0


async def _stream_messages(nats_url: str, stream: str, subject: str) -> int:
    """How many messages the stream holds on one subject (the lead stream carries several)."""
    client = await nats.connect(nats_url)
    info = await client.jetstream().stream_info(stream, subjects_filter=subject)
    await client.close()
    return int((info.state.subjects or {}).get(subject, 0))


async def test_poison_message_ends_on_the_dead_letter_subject_after_max_deliver(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = CampaignsSettings(
        database_url=await migrated_database(MIGRATIONS["campaigns"]),
        nats_url=nats_url,
        consumer_max_deliver=3,
        consumer_backoff_seconds=[0.05],
        log_json=False,
    )
    app = create_campaigns(settings)
    attempts: list[int] = []

    async def always_fails(uow: UnitOfWork, envelope: Envelope[LeadOptedOut]) -> None:
        """Test probe: a handler that can never succeed."""
        attempts.append(1)
        raise RuntimeError("boom: cannot handle this message")

    app.state.runtime.consume(subjects.LEAD_OPTED_OUT, always_fails, name="poison-probe")
    poison = new_envelope(
        subjects.LEAD_OPTED_OUT, LeadOptedOut(wa_id="447700900999", keyword="STOP"), correlation_id="lead-x"
    )
    async with running_service(app), JetStreamProbe(nats_url, dead_letter_subject("campaigns").name) as dead:
        client = await nats.connect(nats_url)
        await client.jetstream().publish(
            subjects.LEAD_OPTED_OUT.name,
            poison.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(poison.message_id)},
        )
        letters = await dead.wait_for_count(1)
        info = await client.jetstream().consumer_info(
            subjects.LEAD_OPTED_OUT.stream, "campaigns-poison-probe"
        )
        await client.close()

    assert len(attempts) == 3
    letter = letters[0]["payload"]
    assert letter["deliveries"] == 3
    assert letter["original_subject"] == subjects.LEAD_OPTED_OUT.name
    assert letter["original_message_id"] == str(poison.message_id)
    assert "boom" in letter["error"]
    assert info.num_ack_pending == 0
    assert info.num_pending == 0


async def test_malformed_message_is_dead_lettered_and_acknowledged_without_retries(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = CampaignsSettings(
        database_url=await migrated_database(MIGRATIONS["campaigns"]), nats_url=nats_url, log_json=False
    )
    app = create_campaigns(settings)
    async with running_service(app), JetStreamProbe(nats_url, dead_letter_subject("campaigns").name) as dead:
        client = await nats.connect(nats_url)
        await client.jetstream().publish(subjects.LEAD_CREATED.name, b'{"not": "an envelope"}')
        letters = await dead.wait_for_count(1)
        info = await client.jetstream().consumer_info(subjects.LEAD_CREATED.stream, "campaigns-lead-created")
        await client.close()

    assert letters[0]["payload"]["error"].startswith("malformed")
    assert letters[0]["payload"]["data"] == '{"not": "an envelope"}'
    assert info.delivered.consumer_seq == 1
    assert info.num_ack_pending == 0
