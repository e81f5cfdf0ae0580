from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine
from structlog.testing import capture_logs

from inkline_contracts import subjects
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.db.models import InboundMessage, Lead, QuarantinedWebhookItem
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.body_limit import FORM_BODY_LIMIT, KIB, MIB
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, status_update, text_message

SECRET = "test-app-secret"
UNUSED_GRAPH_URL = "http://127.0.0.1:9/v21.0"
SAM = Customer(wa_id="447700900123", name="Sam")


async def _settings(migrated_database: DatabaseFactory, nats_url: str) -> ConversationSettings:
    return ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        # No test here downloads media: nothing listens at this address.
        whatsapp_graph_url=UNUSED_GRAPH_URL,
        whatsapp_app_secret=SECRET,
        whatsapp_verify_token="let-me-in",
        log_json=False,
    )


async def _post(
    client: httpx.AsyncClient, payload: dict[str, Any], *, secret: str = SECRET
) -> httpx.Response:
    body = encode(payload)
    return await client.post(
        "/webhooks/whatsapp",
        content=body,
        headers={"X-Hub-Signature-256": sign_payload(body, secret), "Content-Type": "application/json"},
    )


async def _count(url: str, model: Any) -> int:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(model))
    await engine.dispose()
    return int(count or 0)


async def test_verification_handshake_echoes_the_challenge_only_with_the_right_token(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    app = create_app(await _settings(migrated_database, nats_url))
    async with running_service(app) as client:
        ok = await client.get(
            "/webhooks/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": "let-me-in", "hub.challenge": "1158201444"},
        )
        wrong = await client.get(
            "/webhooks/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
        )
        # The earlier monolith read `hub_mode`; Meta sends dotted names.
        underscored = await client.get(
            "/webhooks/whatsapp",
            params={"hub_mode": "subscribe", "hub_verify_token": "let-me-in", "hub_challenge": "1"},
        )

    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert wrong.status_code == 403
    assert underscored.status_code == 403


async def test_first_message_creates_a_lead_and_publishes_it_through_the_outbox(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    app = create_app(settings)
    async with (
        running_service(app) as client,
        JetStreamProbe(nats_url, subjects.LEAD_CREATED.name) as created,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        response = await _post(
            client, text_message(SAM, "Hi! I'd love a fine-line swallow", message_id="wamid.A1")
        )
        leads = await created.wait_for_count(1)
        messages = await received.wait_for_count(1)

    assert response.status_code == 200
    assert leads[0]["payload"]["wa_id"] == SAM.wa_id
    assert leads[0]["payload"]["profile_name"] == "Sam"
    assert messages[0]["payload"]["text"] == "Hi! I'd love a fine-line swallow"
    assert messages[0]["correlation_id"] == leads[0]["payload"]["lead_id"]
    assert created.headers[0]["Nats-Msg-Id"] == leads[0]["message_id"]


async def test_redelivered_webhook_is_stored_once_and_published_once(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    app = create_app(settings)
    payload = text_message(SAM, "hello", message_id="wamid.DUP")
    async with (
        running_service(app) as client,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as probe,
    ):
        responses = await asyncio.gather(*(_post(client, payload) for _ in range(5)))
        await probe.wait_for_count(1)
        second_message = text_message(SAM, "still there?", message_id="wamid.NEXT")
        await _post(client, second_message)
        await probe.wait_for_count(2)

    assert [r.status_code for r in responses] == [200] * 5
    assert [m["payload"]["whatsapp_message_id"] for m in probe.messages] == ["wamid.DUP", "wamid.NEXT"]
    assert await _count(settings.database_url, InboundMessage) == 2
    assert await _count(settings.database_url, Lead) == 1


async def test_bad_signature_is_refused_and_nothing_is_stored(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    app = create_app(settings)
    payload = text_message(SAM, "hello", message_id="wamid.FORGED")
    async with running_service(app) as client:
        forged = await _post(client, payload, secret="not-the-secret")
        unsigned = await client.post("/webhooks/whatsapp", content=encode(payload))

    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert await _count(settings.database_url, InboundMessage) == 0


async def test_malformed_payload_with_a_valid_signature_is_acknowledged_and_ignored(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    app = create_app(settings)
    body = json.dumps({"object": "whatsapp_business_account", "entry": "not-a-list"}).encode()
    async with running_service(app) as client:
        response = await client.post(
            "/webhooks/whatsapp", content=body, headers={"X-Hub-Signature-256": sign_payload(body, SECRET)}
        )

    assert response.status_code == 200
    assert response.json() == {"accepted": 0}
    assert await _count(settings.database_url, InboundMessage) == 0


async def test_delivery_statuses_are_forwarded_for_the_notifier(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    app = create_app(await _settings(migrated_database, nats_url))
    async with (
        running_service(app) as client,
        JetStreamProbe(nats_url, subjects.MESSAGE_STATUS_RECEIVED.name) as probe,
    ):
        await _post(client, status_update("wamid.OUT1", "read", recipient_id=SAM.wa_id))
        await _post(client, status_update("wamid.OUT2", "failed", recipient_id=SAM.wa_id, error_code=131047))
        statuses = await probe.wait_for_count(2)

    by_wamid = {m["payload"]["wamid"]: m["payload"] for m in statuses}
    assert by_wamid["wamid.OUT1"]["status"] == "read"
    assert by_wamid["wamid.OUT2"]["error_code"] == 131047


async def test_a_statuss_callback_data_is_forwarded_so_the_notifier_can_match_its_send(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    app = create_app(await _settings(migrated_database, nats_url))
    tag = "0b0e7c8e-8d7c-4a8e-9a56-2f1a0c7e9b11:1"
    async with (
        running_service(app) as client,
        JetStreamProbe(nats_url, subjects.MESSAGE_STATUS_RECEIVED.name) as probe,
    ):
        await _post(client, status_update("wamid.OUT3", "sent", recipient_id=SAM.wa_id, callback_data=tag))
        await _post(client, status_update("wamid.OUT4", "sent", recipient_id=SAM.wa_id))
        statuses = await probe.wait_for_count(2)

    by_wamid = {m["payload"]["wamid"]: m["payload"] for m in statuses}
    assert by_wamid["wamid.OUT3"]["biz_opaque_callback_data"] == tag
    assert by_wamid["wamid.OUT4"]["biz_opaque_callback_data"] is None


async def test_readiness_reports_database_and_nats(migrated_database: DatabaseFactory, nats_url: str) -> None:
    app = create_app(await _settings(migrated_database, nats_url))
    async with running_service(app) as client:
        ready = await client.get("/readyz")
        metrics = await client.get("/metrics")

    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "checks": {"database": True, "nats": True}}
    assert "inkline_outbox_published_total" in metrics.text


async def test_bodies_over_their_caps_are_refused_with_413_before_they_are_read(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    pulled = [0]

    async def endless() -> AsyncIterator[bytes]:
        while pulled[0] < 200 * MIB:
            pulled[0] += 64 * KIB
            yield b"x" * (64 * KIB)

    transport = httpx.ASGITransport(app=create_app(await _settings(migrated_database, nats_url)))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        declared = await client.post("/webhooks/whatsapp", content=b"x" * (MIB + 1))
        chunked = await client.post("/webhooks/whatsapp", content=endless())
        action = await client.post(
            "/actions/some-token",
            content=b"confirm=" + b"x" * FORM_BODY_LIMIT,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    assert (declared.status_code, chunked.status_code, action.status_code) == (413, 413, 413)
    assert pulled[0] <= MIB + 64 * KIB


def _batch(good: dict[str, Any], bad: dict[str, Any]) -> dict[str, Any]:
    """One POST carrying a good message and a bad one after it, as Meta batches them."""
    value = good["entry"][0]["changes"][0]["value"]
    value["messages"].append(bad)
    return good


def _bad_message(**fields: Any) -> dict[str, Any]:
    message = {"from": "447700900456", "id": "wamid.BAD", "timestamp": "1764000000", "type": "text"}
    return message | {"text": {"body": "hello"}} | fields


async def _quarantined(url: str) -> list[dict[str, Any]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        table = QuarantinedWebhookItem.__table__
        result = await connection.execute(select(table).order_by(table.c.first_seen_at))
        rows = [dict(row._mapping) for row in result]
    await engine.dispose()
    return rows


async def _metric(client: httpx.AsyncClient, reason: str) -> float:
    text = (await client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "inkline_webhook_quarantined_total" and sample.labels == {
                "service": "conversation",
                "reason": reason,
            }:
                return float(sample.value)
    return 0.0


async def test_one_invalid_message_in_a_batch_is_quarantined_and_the_good_one_reaches_its_lead(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    payload = _batch(
        text_message(SAM, "Hi! A small moth please", message_id="wamid.GOOD"),
        _bad_message(timestamp="yesterday"),
    )
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        before = await _metric(client, "invalid_message")
        response = await _post(client, payload)
        (published,) = await received.wait_for_count(1)
        after = await _metric(client, "invalid_message")

    assert (response.status_code, response.json()) == (200, {"accepted": 1})
    assert published["payload"]["whatsapp_message_id"] == "wamid.GOOD"
    rows = await _rows(
        settings.database_url,
        "SELECT m.wamid, l.wa_id FROM inbound_messages m JOIN leads l ON l.id = m.lead_id",
    )
    assert rows == [("wamid.GOOD", SAM.wa_id)]
    (kept,) = await _quarantined(settings.database_url)
    assert (kept["item"], kept["reason"], kept["wamid"]) == ("message", "invalid_message", "wamid.BAD")
    assert kept["detail"] == "timestamp: not a time"
    assert kept["raw"]["timestamp"] == "yesterday"
    assert after == before + 1


@pytest.mark.parametrize(
    ("bad", "reason", "detail"),
    [
        (_bad_message(text={"body": "rose\x00thorn"}), "unstorable_text", "NUL character in $.text.body"),
        (_bad_message(text={"body": "rose \ud83c"}), "unstorable_text", "lone surrogate in $.text.body"),
        (
            _bad_message(**{"from": "44770090045612345678901"}),
            "invalid_message",
            "no phone number nor business-scoped user ID",
        ),
        # Nothing checks a wamid's length up front: the database refuses it, and the savepoint keeps the rest.
        (_bad_message(id="wamid." + "X" * 300), "not_stored", "StringDataRightTruncation"),
    ],
    ids=["nul-byte", "lone-surrogate", "over-long-from", "refused-by-the-database"],
)
async def test_text_the_database_cannot_take_is_quarantined_with_200_and_the_batch_kept(
    migrated_database: DatabaseFactory, nats_url: str, bad: dict[str, Any], reason: str, detail: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    payload = _batch(text_message(SAM, "Hi! A small moth please", message_id="wamid.GOOD"), bad)
    async with running_service(create_app(settings)) as client:
        before = await _metric(client, reason)
        first = await _post(client, payload)
        again = await _post(client, payload)
        after = await _metric(client, reason)

    assert (first.status_code, again.status_code) == (200, 200)
    assert await _rows(settings.database_url, "SELECT wamid FROM inbound_messages") == [("wamid.GOOD",)]
    (kept,) = await _quarantined(settings.database_url)
    assert kept["reason"] == reason
    assert detail in kept["detail"]
    assert kept["times_seen"] == 2, "Meta's redelivery of the same bad message adds no second row"
    assert after == before + 2
    if reason == "unstorable_text":
        assert kept["raw"]["text"]["body"] in ("rose\\u0000thorn", "rose \\ud83c"), "kept, escaped"


async def test_an_artist_message_the_database_refuses_is_quarantined_and_the_clients_kept(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    refused = _bad_message(**{"from": settings.artist_whatsapp_number, "id": "wamid." + "Y" * 300})
    payload = _batch(text_message(SAM, "Hi! A small moth please", message_id="wamid.GOOD"), refused)
    async with running_service(create_app(settings)) as client:
        response = await _post(client, payload)

    assert response.status_code == 200
    assert await _rows(settings.database_url, "SELECT wamid FROM inbound_messages") == [("wamid.GOOD",)]
    (kept,) = await _quarantined(settings.database_url)
    assert kept["reason"] == "not_stored"
    assert kept["detail"] == "the database refused the artist's message"


async def test_a_body_that_is_not_json_is_quarantined_and_acknowledged(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    body = b'{"object": "whatsapp_business_account", "entry": [\xff'
    async with running_service(create_app(settings)) as client:
        response = await client.post(
            "/webhooks/whatsapp", content=body, headers={"X-Hub-Signature-256": sign_payload(body, SECRET)}
        )

    assert (response.status_code, response.json()) == (200, {"accepted": 0})
    (kept,) = await _quarantined(settings.database_url)
    assert (kept["item"], kept["reason"]) == ("payload", "not_json")
    assert kept["raw"].endswith("[\\xff")


async def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = [tuple(row) for row in await connection.execute(text(sql))]
    await engine.dispose()
    return rows


BSUID = "GB.13491208655302741918"


def _username_only(message_id: str, words: str) -> dict[str, Any]:
    """Sam has adopted a username: Meta names them by BSUID and username, and withholds the phone."""
    payload = text_message(SAM, words, message_id=message_id)
    value = payload["entry"][0]["changes"][0]["value"]
    del value["messages"][0]["from"]
    value["messages"][0]["from_user_id"] = BSUID
    value["contacts"] = [{"user_id": BSUID, "profile": {"name": "Sam", "username": "inked.sam"}}]
    return payload


def _phone_revealed(message_id: str, words: str) -> dict[str, Any]:
    payload = text_message(SAM, words, message_id=message_id)
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["from_user_id"] = BSUID
    value["contacts"][0]["user_id"] = BSUID
    return payload


async def test_a_username_client_without_a_phone_becomes_a_lead_known_by_their_bsuid(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.LEAD_CREATED.name) as created,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        response = await _post(client, _username_only("wamid.U1", "Hi, a small rose please"))
        leads = await created.wait_for_count(1)
        messages = await received.wait_for_count(1)

    assert response.status_code == 200
    assert leads[0]["payload"]["wa_id"] == BSUID
    assert leads[0]["payload"]["client"] == {"phone": None, "bsuid": BSUID, "username": "inked.sam"}
    assert messages[0]["payload"]["wa_id"] == BSUID
    assert await _count(settings.database_url, QuarantinedWebhookItem) == 0


async def test_the_same_person_revealing_their_phone_later_stays_one_lead(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        await _post(client, _username_only("wamid.U1", "Hi, a small rose please"))
        await _post(client, _phone_revealed("wamid.U2", "Here's my number too"))
        await _post(client, text_message(SAM, "and from my phone alone", message_id="wamid.U3"))
        messages = await received.wait_for_count(3)

    assert {message["payload"]["lead_id"] for message in messages} == {messages[0]["payload"]["lead_id"]}
    assert {message["payload"]["wa_id"] for message in messages} == {BSUID}
    assert await _count(settings.database_url, Lead) == 1
    engine = create_async_engine(settings.database_url)
    async with engine.connect() as connection:
        contacts = (
            await connection.execute(text("SELECT wa_id, phone, bsuid, username FROM contacts"))
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in contacts] == [(BSUID, SAM.wa_id, BSUID, "inked.sam")]


async def test_one_person_found_on_two_contacts_stays_on_the_older_and_is_reported_not_merged(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        await _post(client, text_message(SAM, "Hi from my phone", message_id="wamid.T1"))
        await _post(client, _username_only("wamid.T2", "Hi from my username"))
        await received.wait_for_count(2)
        with capture_logs() as logs:
            await _post(client, _phone_revealed("wamid.T3", "both at last"))
        messages = await received.wait_for_count(3)

    by_wamid = {m["payload"]["whatsapp_message_id"]: m["payload"] for m in messages}
    assert by_wamid["wamid.T3"]["lead_id"] == by_wamid["wamid.T1"]["lead_id"]
    assert by_wamid["wamid.T3"]["wa_id"] == SAM.wa_id
    [report] = [line for line in logs if line["event"] == "client_identifiers_on_two_contacts"]
    assert (report["log_level"], report["kept"], report["other"]) == ("warning", SAM.wa_id, BSUID)
    engine = create_async_engine(settings.database_url)
    async with engine.connect() as connection:
        contacts = (
            await connection.execute(text("SELECT wa_id, phone, bsuid FROM contacts ORDER BY created_at"))
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in contacts] == [(SAM.wa_id, SAM.wa_id, None), (BSUID, None, BSUID)]


async def test_a_message_naming_no_one_is_quarantined_and_the_post_still_succeeds(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    payload = _username_only("wamid.NOBODY", "hello")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0]["from_user_id"] = "not a bsuid"
    value["contacts"] = [{"user_id": "GB-1", "profile": {"name": "Sam"}}]
    async with running_service(create_app(settings)) as client:
        response = await _post(client, payload)

    assert response.status_code == 200
    assert await _count(settings.database_url, QuarantinedWebhookItem) == 1
    assert await _count(settings.database_url, Lead) == 0


def _number_changed_notice(new_number: str) -> dict[str, Any]:
    """Meta's `system` message for a client who changed number: no contacts, the new phone and BSUID."""
    notice = text_message(SAM, "", message_id="wamid.SYS")
    message = notice["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["text"]
    message |= {
        "type": "system",
        "system": {
            "body": f"User Sam changed from {SAM.wa_id} to {new_number}",
            "type": "user_changed_number",
            "wa_id": new_number,
            "user_id": BSUID,
        },
    }
    del notice["entry"][0]["changes"][0]["value"]["contacts"]
    return notice


async def test_a_client_who_changes_number_stays_on_their_lead_and_is_not_answered_for_the_notice(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    new_number = "447700900456"
    notice = _number_changed_notice(new_number)
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        await _post(client, text_message(SAM, "Hi", message_id="wamid.N1"))
        changed = await _post(client, notice)
        await _post(client, _username_only("wamid.N2", "it's me, new number"))
        messages = await received.wait_for_count(2)

    assert changed.status_code == 200
    assert {m["payload"]["lead_id"] for m in messages} == {messages[0]["payload"]["lead_id"]}
    assert [m["payload"]["whatsapp_message_id"] for m in messages] == ["wamid.N1", "wamid.N2"]
    assert await _count(settings.database_url, InboundMessage) == 2
    engine = create_async_engine(settings.database_url)
    async with engine.connect() as connection:
        contacts = (await connection.execute(text("SELECT wa_id, phone, bsuid FROM contacts"))).all()
    await engine.dispose()
    assert [tuple(row) for row in contacts] == [(SAM.wa_id, new_number, BSUID)]


async def test_a_client_who_changes_number_is_announced_so_messages_go_to_the_new_number_once(
    migrated_database: DatabaseFactory, nats_url: str
) -> None:
    settings = await _settings(migrated_database, nats_url)
    new_number = "447700900456"
    notice = _number_changed_notice(new_number)
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.LEAD_IDENTITY_CHANGED.name) as changed,
        JetStreamProbe(nats_url, subjects.CONSULT_MESSAGE_RECEIVED.name) as received,
    ):
        await _post(client, text_message(SAM, "Hi", message_id="wamid.N1"))
        await _post(client, notice)
        await _post(client, notice)  # Meta delivers it again: nothing new to announce
        await _post(client, text_message(SAM, "still here", message_id="wamid.N2"))
        await received.wait_for_count(2)
        announced = await changed.wait_for_count(1)

    engine = create_async_engine(settings.database_url)
    async with engine.connect() as connection:
        written = await connection.scalar(
            text("SELECT count(*) FROM outbox WHERE subject = :subject"),
            {"subject": subjects.LEAD_IDENTITY_CHANGED.name},
        )
    await engine.dispose()
    assert written == 1
    assert announced[0]["payload"] == {
        "wa_id": SAM.wa_id,
        "client": {"phone": new_number, "bsuid": BSUID, "username": None},
    }
