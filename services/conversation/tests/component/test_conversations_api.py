"""`/api/conversations` on the running conversation service: the studio's Inbox reads every conversation
and its thread both ways, and the artist's reply reaches the client the way a WhatsApp reply does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from inkline_contracts import subjects
from inkline_contracts.examples import EXAMPLES
from inkline_conversation.app import create_app
from inkline_conversation.db.models import Contact, InboundMessage, Lead
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

TOKEN = "conversation-admin-token-of-32-chars"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(conversation_settings: ConversationSettings) -> ConversationSettings:
    return conversation_settings.model_copy(
        update={"conversation_admin_token": SecretStr(TOKEN), "media_link_secret": SecretStr("m" * 32)}
    )


async def add_conversation(
    settings: ConversationSettings,
    *,
    wa_id: str,
    name: str,
    status: str,
    last_wrote: datetime,
    messages: list[tuple[str, str | None, dict[str, Any]]],
    opted_out: bool = False,
    answers: dict[str, Any] | None = None,
) -> uuid.UUID:
    """A lead whose client sent `messages` (kind, text, Meta's object for that kind), the last at `last_wrote`."""
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    async with uow() as work:
        work.session.add(Contact(wa_id=wa_id, profile_name=name, opted_out=opted_out))
        await work.session.flush()
        work.session.add(
            Lead(
                id=lead_id,
                wa_id=wa_id,
                status=status,
                language="en",
                last_inbound_at=last_wrote,
                qualified=answers,
            )
        )
        await work.session.flush()
        for index, (kind, text, detail) in enumerate(messages):
            work.session.add(
                InboundMessage(
                    wamid=f"wamid.{lead_id}.{index}",
                    lead_id=lead_id,
                    wa_id=wa_id,
                    kind=kind,
                    text=text,
                    sent_at=last_wrote - timedelta(minutes=len(messages) - index),
                    raw={"id": f"wamid.{lead_id}.{index}", "type": kind, kind: detail},
                    processed_at=last_wrote,
                )
            )
        await work.commit()
    await engine.dispose()
    return lead_id


async def status_of(settings: ConversationSettings, lead_id: uuid.UUID) -> str:
    engine = make_engine(settings.database_url)
    async with make_session_factory(engine)() as session:
        found = await session.scalar(select(Lead.status).where(Lead.id == lead_id))
    await engine.dispose()
    assert found is not None
    return found


async def test_a_reply_inside_the_window_reaches_the_client_as_text_and_shows_in_the_thread(
    settings: ConversationSettings, nats_url: str
) -> None:
    lead_id = await add_conversation(
        settings,
        wa_id="447700900601",
        name="Sam",
        status="needs_artist",
        last_wrote=datetime.now(UTC) - timedelta(hours=1),
        messages=[
            ("text", "Can you do it in colour?", {"body": "Can you do it in colour?"}),
            ("image", None, {"id": "media-601", "mime_type": "image/jpeg", "caption": "like this"}),
            ("audio", None, {"id": "voice-601", "mime_type": "audio/ogg"}),
        ],
    )
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        replied = await client.post(
            f"/api/conversations/{lead_id}/reply", json={"text": "Yes, colour works."}, headers=AUTH
        )
        [sent] = await sends.wait_for_count(1)
        thread = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)

    assert replied.status_code == 200
    assert replied.json()["sent_as"] == "text"
    assert sent["payload"]["to"] == "447700900601"
    assert sent["payload"]["content"] == {"kind": "text", "body": "Yes, colour works.", "preview_url": False}
    assert sent["payload"]["purpose"] == "artist_reply"
    body = thread.json()
    assert body["conversation"]["window_open"] is True
    assert body["conversation"]["actions"] == ["resume_bot"]
    said = [(message["sender"], message["kind"], message["text"]) for message in body["messages"]]
    assert said == [
        ("client", "text", "Can you do it in colour?"),
        ("client", "image", "like this"),
        ("client", "audio", None),
        ("artist", "text", "Yes, colour works."),
    ]
    picture, voice = body["messages"][1], body["messages"][2]
    assert picture["media_url"].startswith(f"{settings.public_base_url}/media/media-601?expires=")
    assert voice["media_url"].startswith(f"{settings.public_base_url}/media/voice-601?expires=")
    assert await status_of(settings, lead_id) == "needs_artist"


async def test_a_reply_outside_the_window_goes_as_the_approved_template_and_takes_the_chat_over(
    settings: ConversationSettings, nats_url: str
) -> None:
    lead_id = await add_conversation(
        settings,
        wa_id="447700900602",
        name="Alex",
        status="qualified",
        last_wrote=datetime.now(UTC) - timedelta(days=3),
        messages=[("text", "Any news?", {"body": "Any news?"})],
    )
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        before = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)
        replied = await client.post(
            f"/api/conversations/{lead_id}/reply", json={"text": "Back from tour, free Friday?"}, headers=AUTH
        )
        [sent] = await sends.wait_for_count(1)
        thread = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)

    assert before.json()["conversation"]["window_open"] is False
    assert replied.json()["sent_as"] == "template"
    content = sent["payload"]["content"]
    assert content["kind"] == "template"
    assert content["name"] == settings.artist_reply_template
    assert content["body_parameters"][-1] == "Back from tour, free Friday?"
    [_, answer] = thread.json()["messages"]
    assert (answer["sender"], answer["kind"], answer["text"]) == (
        "artist",
        "template",
        "Back from tour, free Friday?",
    )
    assert await status_of(settings, lead_id) == "needs_artist"


async def test_conversations_are_listed_with_the_latest_client_message_first(
    settings: ConversationSettings,
) -> None:
    now = datetime.now(UTC)
    older = await add_conversation(
        settings,
        wa_id="447700900603",
        name="Old",
        status="new",
        last_wrote=now - timedelta(days=2),
        messages=[],
    )
    newer = await add_conversation(
        settings,
        wa_id="447700900604",
        name="New",
        status="new",
        last_wrote=now - timedelta(minutes=5),
        messages=[],
    )
    async with running_service(create_app(settings)) as client:
        listed = await client.get("/api/conversations", headers=AUTH)

    assert [row["lead_id"] for row in listed.json()] == [str(newer), str(older)]
    assert [row["client_name"] for row in listed.json()] == ["New", "Old"]


async def test_the_conversations_api_needs_the_admin_token_and_refuses_an_empty_reply(
    settings: ConversationSettings,
) -> None:
    lead_id = await add_conversation(
        settings, wa_id="447700900605", name="Kim", status="new", last_wrote=datetime.now(UTC), messages=[]
    )
    async with running_service(create_app(settings)) as client:
        anonymous = await client.get("/api/conversations")
        thread = await client.get(f"/api/conversations/{lead_id}", headers={"Authorization": "Bearer nope"})
        reply = await client.post(f"/api/conversations/{lead_id}/reply", json={"text": "hi"})
        empty = await client.post(f"/api/conversations/{lead_id}/reply", json={"text": ""}, headers=AUTH)
        unknown = await client.get(f"/api/conversations/{uuid.uuid4()}", headers=AUTH)

    assert (anonymous.status_code, thread.status_code, reply.status_code) == (401, 401, 401)
    assert empty.status_code == 422
    assert unknown.status_code == 404
    assert await status_of(settings, lead_id) == "new"


async def test_a_reply_to_a_client_who_said_stop_is_refused_and_sends_nothing(
    settings: ConversationSettings,
) -> None:
    lead_id = await add_conversation(
        settings,
        wa_id="447700900606",
        name="Lou",
        status="needs_artist",
        last_wrote=datetime.now(UTC) - timedelta(hours=1),
        messages=[("text", "STOP", {"body": "STOP"})],
        opted_out=True,
    )
    async with running_service(create_app(settings)) as client:
        refused = await client.post(
            f"/api/conversations/{lead_id}/reply", json={"text": "Sure?"}, headers=AUTH
        )
        thread = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)

    assert refused.status_code == 409
    assert refused.json()["detail"] == "Lou asked not to get messages any more, so nothing was sent."
    assert [message["sender"] for message in thread.json()["messages"]] == ["client"]


async def test_what_the_assistant_sent_the_client_shows_in_the_thread(
    settings: ConversationSettings,
) -> None:
    lead_id = await add_conversation(
        settings,
        wa_id="447700900607",
        name="Noor",
        status="qualified",
        last_wrote=datetime.now(UTC) - timedelta(hours=1),
        messages=[("text", "That's all my answers", {"body": "That's all my answers"})],
        answers=EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json"),
    )
    async with running_service(create_app(settings)) as client:
        approved = await client.post(f"/api/leads/{lead_id}/actions/approve", headers=AUTH)
        thread = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)

    assert approved.status_code == 200
    senders = [message["sender"] for message in thread.json()["messages"]]
    assert senders[0] == "client"
    assert senders[1:], "the approval told the client"
    assert set(senders[1:]) == {"assistant"}
    assert all(message["text"] for message in thread.json()["messages"])


async def test_a_reply_too_long_for_the_template_says_the_rest_waits_for_the_client(
    settings: ConversationSettings, nats_url: str
) -> None:
    lead_id = await add_conversation(
        settings,
        wa_id="447700900603",
        name="Alex",
        status="qualified",
        last_wrote=datetime.now(UTC) - timedelta(days=3),
        messages=[("text", "Any news?", {"body": "Any news?"})],
    )
    words = "I am back from the tour and have a few ideas for your sleeve. " * 30
    async with running_service(create_app(settings)) as client:
        short = await client.post(f"/api/conversations/{lead_id}/reply", json={"text": "Hi!"}, headers=AUTH)
        long = await client.post(f"/api/conversations/{lead_id}/reply", json={"text": words}, headers=AUTH)

    assert (short.json()["sent_as"], short.json()["held"]) == ("template", False)
    assert (long.json()["sent_as"], long.json()["held"]) == ("template", True)
