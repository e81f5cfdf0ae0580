"""The Inbox screen against the running conversation service: the artist reads a thread both ways, answers
a handed-over client (who receives it from the business number), and takes over or hands back the chat."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db.models import Contact, InboundMessage, Lead
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie


async def add_client(
    settings: ConversationSettings,
    *,
    wa_id: str,
    name: str,
    status: str,
    wrote: str,
    ago: timedelta,
) -> uuid.UUID:
    """A client who wrote `wrote` `ago`, with a reference picture just before it."""
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    at = datetime.now(UTC) - ago
    async with uow() as work:
        work.session.add(Contact(wa_id=wa_id, profile_name=name))
        await work.session.flush()
        work.session.add(
            Lead(id=lead_id, wa_id=wa_id, status=status, resume_status="qualified", last_inbound_at=at)
        )
        await work.session.flush()
        for index, (kind, text, detail) in enumerate(
            [("image", None, {"id": f"media-{wa_id}"}), ("text", wrote, {"body": wrote})]
        ):
            work.session.add(
                InboundMessage(
                    wamid=f"wamid.{wa_id}.{index}",
                    lead_id=lead_id,
                    wa_id=wa_id,
                    kind=kind,
                    text=text,
                    sent_at=at - timedelta(minutes=1 - index),
                    raw={"id": f"wamid.{wa_id}.{index}", "type": kind, kind: detail},
                    processed_at=at,
                )
            )
        await work.commit()
    await engine.dispose()
    return lead_id


def studio_on(conversation: FastAPI, settings: StudioSettings, clock: Clock) -> FastAPI:
    return create_app(settings, clock=clock, conversation_transport=httpx.ASGITransport(app=conversation))


async def test_answering_a_handed_over_client_reaches_them_and_shows_in_the_thread(
    conversation_settings: ConversationSettings, studio_settings: StudioSettings, nats_url: str
) -> None:
    lead_id = await add_client(
        conversation_settings,
        wa_id="447700900701",
        name="Sam",
        status="needs_artist",
        wrote="Can you do it in colour?",
        ago=timedelta(minutes=30),
    )
    conversation = create_conversation_app(conversation_settings)
    clock = Clock()
    async with (
        running_service(conversation),
        running_service(studio_on(conversation, studio_settings, clock)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        inbox = await client.get("/inbox")
        thread = await client.get(f"/inbox/{lead_id}")
        forged = await client.post(f"/inbox/{lead_id}/reply", data={"text": "not from the artist"})
        replied = await client.post(
            f"/inbox/{lead_id}/reply", data={"csrf": csrf_of(thread), "text": "Yes, colour works."}
        )
        after = await client.get(replied.headers["location"])
        [sent] = await sends.wait_for_count(1)

    assert f'href="/inbox/{lead_id}"' in inbox.text
    assert "Sam" in inbox.text
    assert "waiting for you" in inbox.text
    assert "Can you do it in colour?" in thread.text
    assert "Open picture" in thread.text
    assert "/media/media-447700900701?expires=" in thread.text
    assert "go as a normal WhatsApp message" in thread.text
    assert 'data-action="resume_bot"' in thread.text
    assert forged.status_code == 403
    assert replied.status_code == 303
    assert replied.headers["location"] == f"/inbox/{lead_id}?sent=text#latest"
    assert "Sent to Sam." in after.text
    assert '<li class="message from-artist" id="latest">' in after.text
    assert "Yes, colour works." in after.text
    assert sent["payload"]["to"] == "447700900701"
    assert sent["payload"]["content"]["body"] == "Yes, colour works."
    assert "not from the artist" not in after.text


async def test_outside_the_window_the_page_says_so_and_the_reply_goes_as_the_template(
    conversation_settings: ConversationSettings, studio_settings: StudioSettings
) -> None:
    lead_id = await add_client(
        conversation_settings,
        wa_id="447700900702",
        name="Alex",
        status="qualified",
        wrote="Any news?",
        ago=timedelta(days=2),
    )
    conversation = create_conversation_app(conversation_settings)
    clock = Clock()
    async with running_service(studio_on(conversation, studio_settings, clock)) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        thread = await client.get(f"/inbox/{lead_id}")
        empty = await client.post(f"/inbox/{lead_id}/reply", data={"csrf": csrf_of(thread), "text": "  "})
        replied = await client.post(
            f"/inbox/{lead_id}/reply", data={"csrf": csrf_of(thread), "text": "Free on Friday?"}
        )
        after = await client.get(replied.headers["location"])
    await conversation.state.runtime.engine.dispose()

    assert "more than 24 hours ago" in thread.text
    assert 'data-action="take_over"' in thread.text
    assert empty.status_code == 400
    assert "Write something to send first." in empty.text
    assert replied.headers["location"] == f"/inbox/{lead_id}?sent=template#latest"
    assert "Sent to Alex inside your approved reply message." in after.text
    assert "Free on Friday?" in after.text
    assert 'data-action="resume_bot"' in after.text, "answering took the chat over"


async def test_taking_over_and_handing_back_change_who_answers(
    conversation_settings: ConversationSettings, studio_settings: StudioSettings
) -> None:
    lead_id = await add_client(
        conversation_settings,
        wa_id="447700900703",
        name="Kim",
        status="qualified",
        wrote="Hello?",
        ago=timedelta(hours=2),
    )
    conversation = create_conversation_app(conversation_settings)
    clock = Clock()
    async with running_service(studio_on(conversation, studio_settings, clock)) as client:
        anonymous = await client.get("/inbox")
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        thread = await client.get(f"/inbox/{lead_id}")
        taken = await client.post(f"/inbox/{lead_id}/take_over", data={"csrf": csrf_of(thread)})
        mine = await client.get(taken.headers["location"])
        handed = await client.post(f"/inbox/{lead_id}/resume_bot", data={"csrf": csrf_of(mine)})
        back = await client.get(handed.headers["location"])
        again = await client.post(f"/inbox/{lead_id}/resume_bot", data={"csrf": csrf_of(back)})
    await conversation.state.runtime.engine.dispose()

    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/sign-in"
    assert taken.status_code == 303
    assert 'data-action="resume_bot"' in mine.text
    assert handed.status_code == 303
    assert 'data-action="take_over"' in back.text
    assert again.status_code == 409
    assert "no longer applies" in again.text
