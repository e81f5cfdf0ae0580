"""The Inbox screen against the running conversation service: the artist reads a thread both ways (with the
client's pictures and voice notes, served from the studio's own origin, at the artist's local times), answers a
handed-over client (who receives it from the business number), picks an approved template once the client's
24-hour window has closed, and takes over or hands back the chat."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db.models import Contact, InboundMessage, Lead, ReferenceMedia
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie, tiny_png

PICTURE = tiny_png()
VOICE_NOTE = b"OggS\x00\x02" + bytes(58)


async def add_client(
    settings: ConversationSettings,
    *,
    wa_id: str,
    name: str,
    status: str,
    wrote: str,
    ago: timedelta,
) -> uuid.UUID:
    """A client who wrote `wrote` `ago`, with a reference picture and a voice note just before it."""
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
        for media_id, mime_type, content in (
            (f"media-{wa_id}", "image/png", PICTURE),
            (f"voice-{wa_id}", "audio/ogg", VOICE_NOTE),
        ):
            work.session.add(
                ReferenceMedia(
                    media_id=media_id,
                    lead_id=lead_id,
                    wamid=f"wamid.{media_id}",
                    mime_type=mime_type,
                    status="stored",
                    content=content,
                )
            )
        for index, (kind, text, detail) in enumerate(
            [
                ("image", None, {"id": f"media-{wa_id}"}),
                ("audio", None, {"id": f"voice-{wa_id}", "voice": True}),
                ("text", wrote, {"body": wrote}),
            ]
        ):
            work.session.add(
                InboundMessage(
                    wamid=f"wamid.{wa_id}.{index}",
                    lead_id=lead_id,
                    wa_id=wa_id,
                    kind=kind,
                    text=text,
                    sent_at=at - timedelta(minutes=2 - index),
                    raw={"id": f"wamid.{wa_id}.{index}", "type": kind, kind: detail},
                    processed_at=at,
                )
            )
        await work.commit()
    await engine.dispose()
    return lead_id


def studio_on(conversation: FastAPI, settings: StudioSettings, clock: Clock) -> FastAPI:
    return create_app(settings, clock=clock, conversation_transport=httpx.ASGITransport(app=conversation))


def media_paths(page: str) -> list[str]:
    """The studio's own paths of the pictures and voice notes on a page."""
    return [path.replace("&amp;", "&") for path in re.findall(r'src="(/media/[^"]+)"', page)]


def on_clock_of(zone: str, at: datetime) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%b, %H:%M}"


async def test_answering_a_handed_over_client_reaches_them_and_shows_in_the_thread(
    conversation_settings: ConversationSettings, studio_settings: StudioSettings, nats_url: str
) -> None:
    conversation_settings = conversation_settings.model_copy(update={"artist_timezone": "America/New_York"})
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
        picture_path, voice_path = media_paths(thread.text)
        picture, voice = await client.get(picture_path), await client.get(voice_path)
        altered = await client.get(picture_path.replace("media-447700900701", "voice-447700900701"))
        forged = await client.post(f"/inbox/{lead_id}/reply", data={"text": "not from the artist"})
        replied = await client.post(
            f"/inbox/{lead_id}/reply", data={"csrf": csrf_of(thread), "text": "Yes, colour works."}
        )
        after = await client.get(replied.headers["location"])
        [sent] = await sends.wait_for_count(1)
        client.cookies.clear()
        anonymous = await client.get(picture_path)

    assert f'href="/inbox/{lead_id}"' in inbox.text
    assert "Sam" in inbox.text
    assert "waiting for you" in inbox.text
    assert "Can you do it in colour?" in thread.text
    assert picture_path.startswith("/media/media-447700900701?expires="), "the studio's own origin"
    assert voice_path.startswith("/media/voice-447700900701?expires=")
    assert '<audio class="voice" controls' in thread.text
    assert (picture.status_code, picture.headers["content-type"], picture.content) == (
        200,
        "image/png",
        PICTURE,
    )
    assert picture.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert (voice.status_code, voice.headers["content-type"], voice.content) == (200, "audio/ogg", VOICE_NOTE)
    assert altered.status_code == 403, "conversation still checks the signature"
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/sign-in")
    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', thread.text)
    assert len(times) == 3
    assert all(shown == on_clock_of("America/New_York", datetime.fromisoformat(at)) for at, shown in times)
    assert "go as a normal WhatsApp message" in thread.text
    assert 'data-action="resume_bot"' in thread.text
    assert forged.status_code == 403
    assert replied.status_code == 303
    assert replied.headers["location"] == f"/inbox/{lead_id}?sent=text#latest"
    assert "Sent to Sam." in after.text
    assert '<li class="message from-artist" id="latest" data-kind="text">' in after.text
    assert "Yes, colour works." in after.text
    assert sent["payload"]["to"] == "447700900701"
    assert sent["payload"]["content"]["body"] == "Yes, colour works."
    assert "not from the artist" not in after.text


async def test_outside_the_window_the_artist_picks_an_approved_template_and_the_client_receives_it(
    conversation_settings: ConversationSettings, studio_settings: StudioSettings, nats_url: str
) -> None:
    lead_id = await add_client(
        conversation_settings,
        wa_id="447700900702",
        name="Alex Moor",
        status="qualified",
        wrote="Any news?",
        ago=timedelta(days=2),
    )
    conversation = create_conversation_app(conversation_settings)
    clock = Clock()
    async with (
        running_service(conversation),
        running_service(studio_on(conversation, studio_settings, clock)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        thread = await client.get(f"/inbox/{lead_id}")
        url = f"/inbox/{lead_id}/template"
        unknown = await client.post(url, data={"csrf": csrf_of(thread), "template": "hello_world"})
        wordless = await client.post(url, data={"csrf": csrf_of(thread), "template": "inkline_artist_reply"})
        picked = await client.post(url, data={"csrf": csrf_of(thread), "template": "still_interested"})
        after = await client.get(picked.headers["location"])
        [sent] = await sends.wait_for_count(1)

    assert "more than 24 hours ago" in thread.text
    assert 'id="template-picker"' in thread.text
    assert 'id="reply-text"' not in thread.text, "no reply box that cannot send"
    assert 'value="still_interested"' in thread.text
    assert "Still interested?" in thread.text
    assert 'data-action="take_over"' in thread.text
    assert unknown.status_code == 400
    assert "That is not one of your approved messages." in unknown.text
    assert wordless.status_code == 400
    assert "Write something to send first." in wordless.text
    assert picked.headers["location"] == f"/inbox/{lead_id}?sent=picked#latest"
    assert "Sent to Alex Moor as an approved message." in after.text
    assert "Approved message: Still interested?" in after.text
    assert 'data-action="resume_bot"' in after.text, "sending took the chat over"
    assert sent["payload"]["to"] == "447700900702"
    assert sent["payload"]["content"]["name"] == "still_interested"
    assert sent["payload"]["content"]["body_parameters"] == ["Alex"]


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
