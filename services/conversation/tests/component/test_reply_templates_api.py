"""The studio's template picker on the running conversation service: outside a client's 24-hour window the
artist sends one of the approved templates (and nothing else), and the chat stays with the artist; a lead
comes with signed links to its reference pictures, and a conversation with the artist's timezone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from inkline_contracts import subjects
from inkline_conversation.app import create_app
from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

TOKEN = "conversation-admin-token-of-32-chars"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(conversation_settings: ConversationSettings) -> ConversationSettings:
    return conversation_settings.model_copy(
        update={
            "conversation_admin_token": SecretStr(TOKEN),
            "media_link_secret": SecretStr("m" * 32),
            "artist_name": "Mara",
            "artist_timezone": "Europe/Berlin",
            "public_base_url": "https://conversation.example",
        }
    )


async def add_lead(
    settings: ConversationSettings,
    *,
    wa_id: str,
    name: str,
    status: str,
    answers: dict[str, Any] | None = None,
) -> uuid.UUID:
    """A client who last wrote two days ago: their 24-hour window is closed."""
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    async with uow() as work:
        work.session.add(Contact(wa_id=wa_id, profile_name=name))
        await work.session.flush()
        work.session.add(
            Lead(
                id=lead_id,
                wa_id=wa_id,
                status=status,
                resume_status="qualified",
                language="de",
                last_inbound_at=datetime.now(UTC) - timedelta(days=2),
                qualified=answers,
            )
        )
        await work.commit()
    await engine.dispose()
    return lead_id


async def status_of(settings: ConversationSettings, lead_id: uuid.UUID) -> str | None:
    engine = make_engine(settings.database_url)
    async with make_session_factory(engine)() as session:
        found = await session.scalar(select(Lead.status).where(Lead.id == lead_id))
    await engine.dispose()
    return found


async def test_outside_the_window_only_an_approved_template_goes_and_the_chat_stays_with_the_artist(
    settings: ConversationSettings, nats_url: str
) -> None:
    lead_id = await add_lead(settings, wa_id="491511110001", name="Lena Vogel", status="qualified")
    url = f"/api/conversations/{lead_id}/template"
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        listed = await client.get("/api/reply-templates", headers=AUTH)
        anonymous = await client.post(url, json={"template": "still_interested"})
        unknown = await client.post(url, json={"template": "hello_world"}, headers=AUTH)
        wordless = await client.post(
            url, json={"template": "inkline_artist_reply", "text": " "}, headers=AUTH
        )
        nudged = await client.post(url, json={"template": "still_interested"}, headers=AUTH)
        worded = await client.post(
            url, json={"template": "inkline_artist_reply", "text": "Free on\nFriday?"}, headers=AUTH
        )
        to_client = await sends.wait_for(
            lambda found: len([m for m in found if m["payload"]["to"] == "491511110001"]) >= 2
        )
        thread = await client.get(f"/api/conversations/{lead_id}", headers=AUTH)

    assert [template["name"] for template in listed.json()][:2] == [
        "inkline_artist_reply",
        "still_interested",
    ]
    assert anonymous.status_code == 401
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "That is not one of your approved messages."
    assert wordless.status_code == 422
    assert (nudged.status_code, nudged.json()["sent_as"]) == (200, "template")
    assert worded.status_code == 200
    first, second = [m["payload"] for m in to_client if m["payload"]["to"] == "491511110001"]
    assert first["content"] == {
        "kind": "template",
        "name": "still_interested",
        "language": "de",
        "body_parameters": ["Lena"],
        "quick_reply_payloads": [],
    }
    assert second["content"]["body_parameters"] == ["Mara", "Free on · Friday?"]
    assert first["purpose"] == second["purpose"] == "artist_reply"
    assert await status_of(settings, lead_id) == "needs_artist", "the chat is the artist's now"
    assert thread.json()["conversation"]["timezone"] == "Europe/Berlin"
    assert [m["template"] for m in thread.json()["messages"]] == ["still_interested", "inkline_artist_reply"]


async def test_a_lead_comes_with_signed_links_to_its_reference_pictures(
    settings: ConversationSettings,
) -> None:
    lead_id = await add_lead(
        settings,
        wa_id="491511110002",
        name="Jonas",
        status="qualified",
        answers={"idea": "a fox", "reference_media_ids": ["media-fox-1", "media-fox-2"]},
    )
    async with running_service(create_app(settings)) as client:
        lead = await client.get(f"/api/leads/{lead_id}", headers=AUTH)
        listed = await client.get("/api/leads", params={"status": "qualified"}, headers=AUTH)
        first_picture = await client.get(
            lead.json()["pictures"][0].removeprefix("https://conversation.example")
        )

    pictures = lead.json()["pictures"]
    assert [link.split("?")[0] for link in pictures] == [
        "https://conversation.example/media/media-fox-1",
        "https://conversation.example/media/media-fox-2",
    ]
    assert all("expires=" in link and "signature=" in link for link in pictures)
    assert listed.json()[0]["pictures"][0].split("?")[0].endswith("/media/media-fox-1")
    assert first_picture.status_code == 404, "the link is good; the picture itself was never downloaded"
