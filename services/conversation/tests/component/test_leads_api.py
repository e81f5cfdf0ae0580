"""`/api/leads` on the running conversation service: the studio's view of the leads and its actions,
under the action links' rules and behind the admin token."""

from __future__ import annotations

import uuid

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from inkline_contracts import subjects
from inkline_contracts.examples import EXAMPLES
from inkline_conversation.app import create_app
from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory

TOKEN = "conversation-admin-token-of-32-chars"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WA_ID = "447700900456"
# A finished consultation's answers, as the lead keeps them.
ANSWERS = EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json")


@pytest.fixture
def settings(conversation_settings: ConversationSettings) -> ConversationSettings:
    return conversation_settings.model_copy(update={"conversation_admin_token": SecretStr(TOKEN)})


async def add_lead(settings: ConversationSettings, status: str, *, name: str = "Sam") -> uuid.UUID:
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    async with uow() as work:
        if await work.session.get(Contact, WA_ID) is None:
            work.session.add(Contact(wa_id=WA_ID, profile_name=name))
            await work.session.flush()
        work.session.add(Lead(id=lead_id, wa_id=WA_ID, status=status, qualified=ANSWERS, language="de"))
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


async def test_approving_a_qualified_lead_tells_the_client_and_asks_for_slots(
    settings: ConversationSettings, nats_url: str
) -> None:
    lead_id = await add_lead(settings, "qualified")
    async with (
        running_service(create_app(settings)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as client_messages,
        JetStreamProbe(nats_url, subjects.SLOTS_REQUESTED.name) as slot_requests,
    ):
        listed = await client.get("/api/leads", params={"status": "qualified"}, headers=AUTH)
        approved = await client.post(f"/api/leads/{lead_id}/actions/approve", headers=AUTH)
        [told] = await client_messages.wait_for_count(1)
        await slot_requests.wait_for_count(1)

    [lead] = listed.json()
    assert lead["lead_id"] == str(lead_id)
    assert (lead["client_name"], lead["language"]) == ("Sam", "de")
    assert lead["answers"] == ANSWERS
    assert lead["actions"] == ["approve", "reject", "take_over"]
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert "Sam" in approved.json()["message"]
    assert told["payload"]["to"] == WA_ID
    assert await status_of(settings, lead_id) == "approved"


async def test_an_action_the_status_does_not_allow_is_refused_and_changes_nothing(
    settings: ConversationSettings,
) -> None:
    lead_id = await add_lead(settings, "booked")
    async with running_service(create_app(settings)) as client:
        refused = await client.post(f"/api/leads/{lead_id}/actions/approve", headers=AUTH)
        unknown = await client.post(f"/api/leads/{uuid.uuid4()}/actions/approve", headers=AUTH)

    assert refused.status_code == 409
    assert refused.json()["detail"] == "This lead is now booked; approve no longer applies."
    assert unknown.status_code == 404
    assert await status_of(settings, lead_id) == "booked"


async def test_the_leads_api_needs_the_admin_token(settings: ConversationSettings) -> None:
    lead_id = await add_lead(settings, "qualified")
    async with running_service(create_app(settings)) as client:
        anonymous = await client.get("/api/leads")
        wrong = await client.post(
            f"/api/leads/{lead_id}/actions/approve", headers={"Authorization": "Bearer not-the-token"}
        )

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert await status_of(settings, lead_id) == "qualified"
