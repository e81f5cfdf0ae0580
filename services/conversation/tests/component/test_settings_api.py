"""`/api/settings` on the running conversation service: the artist's settings for the studio, every saved
version kept with who saved it, behind the admin token."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from inkline_contracts import subjects
from inkline_contracts.subjects import Subject
from inkline_conversation.app import create_app
from inkline_conversation.db.action_tokens import issue_action_links
from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service

TOKEN = "conversation-admin-token-of-32-chars"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(conversation_settings: ConversationSettings) -> ConversationSettings:
    return conversation_settings.model_copy(
        update={
            "conversation_admin_token": SecretStr(TOKEN),
            "artist_name": "Rowan",
            "minimum_spend_minor": 15000,
            "studio_address": "Studio 3, 12 Example Street, London",
        }
    )


def changed(current: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {**current, **values}


async def published(database_url: str, subject: Subject[Any]) -> list[dict[str, Any]]:
    """What the save put in conversation's outbox for the relay to publish."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                text("SELECT body FROM outbox WHERE subject = :s ORDER BY seq"), {"s": subject.name}
            )
            return [json.loads(row[0])["payload"] for row in found]
    finally:
        await engine.dispose()


async def test_settings_need_the_admin_token(settings: ConversationSettings) -> None:
    wrong = {"Authorization": "Bearer not-the-token"}
    async with running_service(create_app(settings)) as client:
        answers = [
            await client.get("/api/settings"),
            await client.get("/api/settings", headers=wrong),
            await client.put("/api/settings", headers=wrong, json={}),
            await client.get("/api/settings/history", headers=wrong),
        ]
    assert [answer.status_code for answer in answers] == [401, 401, 401, 401]


async def test_before_any_save_the_environments_values_are_the_settings(
    settings: ConversationSettings,
) -> None:
    async with running_service(create_app(settings)) as client:
        answer = (await client.get("/api/settings", headers=AUTH)).json()
        history = (await client.get("/api/settings/history", headers=AUTH)).json()

    assert (answer["changed_by"], answer["currency"]) == (None, "GBP")
    assert answer["settings"]["artist_name"] == "Rowan"
    assert answer["settings"]["minimum_spend_minor"] == 15000
    assert answer["settings"]["studio_address"] == "Studio 3, 12 Example Street, London"
    assert history == []


async def test_every_save_is_kept_with_who_saved_it_and_the_newest_is_current(
    settings: ConversationSettings,
) -> None:
    async with running_service(create_app(settings)) as client:
        first = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
        one = await client.put(
            "/api/settings",
            headers=AUTH,
            json={"settings": changed(first, minimum_spend_minor=20000), "changed_by": "Rowan"},
        )
        two = await client.put(
            "/api/settings",
            headers=AUTH,
            json={"settings": changed(first, artist_does_colour=False), "changed_by": "Alex (manager)"},
        )
        current = (await client.get("/api/settings", headers=AUTH)).json()
        history = (await client.get("/api/settings/history", headers=AUTH)).json()

    assert (one.status_code, two.status_code) == (200, 200)
    assert current["changed_by"] == "Alex (manager)"
    assert current["settings"]["artist_does_colour"] is False
    assert current["settings"]["minimum_spend_minor"] == 15000, "a save is a whole version"
    assert [version["changed_by"] for version in history] == ["Alex (manager)", "Rowan"]
    assert history[1]["settings"]["minimum_spend_minor"] == 20000
    assert history[0]["changed_at"] >= history[1]["changed_at"]


async def test_an_invalid_save_is_refused_and_changes_nothing(settings: ConversationSettings) -> None:
    async with running_service(create_app(settings)) as client:
        first = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
        negative = await client.put(
            "/api/settings",
            headers=AUTH,
            json={"settings": changed(first, minimum_spend_minor=-1), "changed_by": "Rowan"},
        )
        unknown = await client.put(
            "/api/settings",
            headers=AUTH,
            json={"settings": changed(first, whatsapp_access_token="x"), "changed_by": "Rowan"},
        )
        history = (await client.get("/api/settings/history", headers=AUTH)).json()

    assert (negative.status_code, unknown.status_code) == (422, 422)
    assert history == []


async def test_language_currency_faq_answers_and_reminder_switches_are_saved_as_a_version(
    settings: ConversationSettings,
) -> None:
    async with running_service(create_app(settings)) as client:
        first = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
        saved = await client.put(
            "/api/settings",
            headers=AUTH,
            json={
                "settings": changed(
                    first,
                    artist_language="es",
                    artist_currency="eur",
                    faq_answers={"bring": "  Photo ID and a snack.  "},
                    appointment_final_reminder_on=False,
                    deposit_by_size_minor={"small": 6000, "medium": 0, "large": 15000, "full_day": 20000},
                ),
                "changed_by": "Rowan",
            },
        )
        current = (await client.get("/api/settings", headers=AUTH)).json()

    assert (first["artist_language"], first["artist_currency"], first["faq_answers"]) == ("en", "GBP", {})
    assert (first["appointment_early_reminder_on"], first["appointment_final_reminder_on"]) == (True, True)
    assert saved.status_code == 200
    assert (current["settings"]["artist_language"], current["currency"]) == ("es", "EUR")
    assert current["settings"]["faq_answers"] == {"bring": "Photo ID and a snack."}
    assert current["settings"]["appointment_final_reminder_on"] is False
    [event] = await published(settings.database_url, subjects.ARTIST_SETTINGS_CHANGED)
    assert (event["language"], event["currency"]) == ("es", "EUR"), "payments keeps a copy of the currency"
    # ... and charges the deposits the artist set; a size at 0 keeps payments' own rule.
    assert event["deposit_by_size_minor"] == {"small": 6000, "large": 15000, "full_day": 20000}


async def test_a_version_saved_before_the_newer_fields_reads_the_environments_values_for_them(
    settings: ConversationSettings,
) -> None:
    spanish = settings.model_copy(update={"artist_language": "es", "artist_currency": "EUR"})
    async with running_service(create_app(spanish)) as client:
        older = {
            key: value
            for key, value in (await client.get("/api/settings", headers=AUTH)).json()["settings"].items()
            if key not in {"artist_language", "artist_currency", "faq_answers"}
        }
        saved = await client.put(
            "/api/settings", headers=AUTH, json={"settings": older, "changed_by": "Rowan"}
        )
        current = (await client.get("/api/settings", headers=AUTH)).json()

    assert saved.status_code == 200
    assert (current["settings"]["artist_language"], current["currency"]) == ("es", "EUR")
    assert current["settings"]["faq_answers"] == {}


async def test_an_unknown_faq_topic_language_or_currency_is_refused_and_a_valid_one_saved(
    settings: ConversationSettings,
) -> None:
    changes: list[dict[str, Any]] = [
        {"faq_answers": {"parking": "Round the back."}},
        {"faq_answers": {"bring": "x" * 1001}},
        {"artist_language": "nl"},
        {"artist_currency": "pounds"},
        {"faq_answers": {"bring": "x" * 1000}, "artist_language": "it", "artist_currency": "CHF"},
    ]
    async with running_service(create_app(settings)) as client:
        first = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
        refused = [
            await client.put(
                "/api/settings",
                headers=AUTH,
                json={"settings": changed(first, **change), "changed_by": "Rowan"},
            )
            for change in changes
        ]
        history = (await client.get("/api/settings/history", headers=AUTH)).json()

    assert [answer.status_code for answer in refused] == [422, 422, 422, 422, 200], "only the last is valid"
    assert len(history) == 1


async def test_new_reminder_times_move_the_unsent_reminders_of_bookings_already_made(
    settings: ConversationSettings,
) -> None:
    start = datetime(2030, 6, 14, 13, tzinfo=UTC)  # 14:00 in London's summer time
    booked = {"start": start.isoformat(), "end": (start + timedelta(hours=4)).isoformat()}
    lead_id, booking_id = uuid.uuid4(), uuid.uuid4()
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO contacts (wa_id) VALUES ('447700900555')"))
            await connection.execute(
                text(
                    "INSERT INTO leads (id, wa_id, status, booking_id, booking_range)"
                    " VALUES (:id, '447700900555', 'booked', :booking, CAST(:range AS jsonb))"
                ),
                {"id": lead_id, "booking": booking_id, "range": json.dumps(booked)},
            )
            for kind, hours in (("reminder_early", 72), ("reminder_final", 24)):
                await connection.execute(
                    text(
                        "INSERT INTO scheduled_messages (id, lead_id, booking_id, kind, due_at)"
                        " VALUES (:id, :lead, :booking, :kind, :due)"
                    ),
                    {
                        "id": uuid.uuid4(),
                        "lead": lead_id,
                        "booking": booking_id,
                        "kind": kind,
                        "due": start - timedelta(hours=hours),
                    },
                )
        async with running_service(create_app(settings)) as client:
            current = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
            saved = await client.put(
                "/api/settings",
                headers=AUTH,
                json={
                    "settings": changed(
                        current, appointment_early_reminder_hours=96, appointment_final_reminder_hours=12
                    ),
                    "changed_by": "Rowan",
                },
            )
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT kind, due_at FROM scheduled_messages"))
            due: dict[str, datetime] = {kind: at for kind, at in rows.all()}
    finally:
        await engine.dispose()

    assert saved.status_code == 200
    assert due == {
        "reminder_early": start - timedelta(hours=96),
        "reminder_final": start - timedelta(hours=12),
    }


async def _approve_link(database_url: str) -> str:
    """The path of an action link approving a new qualified lead."""
    lead_id, wa_id = uuid.uuid4(), "447700900123"
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            session.add(Contact(wa_id=wa_id, profile_name="Sam"))
            await session.flush()
            session.add(Lead(id=lead_id, wa_id=wa_id, status=LeadStatus.QUALIFIED.value, qualified={}))
            await session.flush()
            links = await issue_action_links(
                session,
                lead_id=lead_id,
                actions=[ActionKind.APPROVE],
                now=datetime.now(UTC),
                ttl=timedelta(days=7),
                base_url="http://service/",
            )
            await session.commit()
    finally:
        await engine.dispose()
    return urlsplit(links[ActionKind.APPROVE]).path


async def test_a_language_saved_in_the_studio_reaches_the_action_pages_at_once(
    settings: ConversationSettings,
) -> None:
    link = await _approve_link(settings.database_url)
    async with running_service(create_app(settings)) as client:
        before = await client.get(link)
        first = (await client.get("/api/settings", headers=AUTH)).json()["settings"]
        saved = await client.put(
            "/api/settings",
            headers=AUTH,
            json={"settings": changed(first, artist_language="es"), "changed_by": "Rowan"},
        )
        after = await client.get(link)

    assert saved.status_code == 200
    assert "Approve this request" in before.text
    # No restart: the page reads the language saved last on every request.
    assert '<html lang="es">' in after.text
    assert "Aceptar esta solicitud" in after.text
