"""`/api/settings` on the running conversation service: the artist's settings for the studio, every saved
version kept with who saved it, behind the admin token."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from inkline_conversation.app import create_app
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
