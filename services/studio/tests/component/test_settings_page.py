"""The Settings screen against the conversation service's settings API: a save becomes a new version there,
a form without its CSRF token or with an unreadable amount changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from inkline_devstack.harness import running_service
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie

FORM = {
    "artist_name": "Mara",
    "studio_address": "Unit 4, 9 Canal Street, Manchester",
    "minimum_spend": "200",
    "deposit_small": "50",
    "deposit_medium": "100.50",
    "deposit_large": "150",
    "deposit_full_day": "250",
    "artist_does_colour": "on",
    "reschedule_notice_days": "2",
    "refund_notice_days": "7",
    "early_reminder_days": "3",
    "final_reminder_hours": "24",
    "artist_language": "es",
    "artist_currency": "EUR",
    "faq_bring": "Photo ID, a snack and loose clothes.",
    "faq_price": "",
    "final_reminder_on": "on",
}


async def stored(transport: httpx.ASGITransport, settings: StudioSettings, path: str) -> Any:
    """What the conversation service itself answers, with the token the studio uses."""
    token = settings.conversation_admin_token.get_secret_value()
    async with httpx.AsyncClient(
        transport=transport, base_url="http://conversation", headers={"Authorization": f"Bearer {token}"}
    ) as client:
        return (await client.get(path)).json()


async def test_saving_the_form_stores_a_new_version_the_assistant_uses(
    studio_settings: StudioSettings, conversation_transport: httpx.ASGITransport, clock: Clock
) -> None:
    studio = create_app(studio_settings, clock=clock, conversation_transport=conversation_transport)
    async with running_service(studio) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        page = await client.get("/settings")
        saved = await client.post("/settings", data={**FORM, "csrf": csrf_of(page)})
        after = await client.get(saved.headers["location"])
    current = await stored(conversation_transport, studio_settings, "/api/settings")
    history = await stored(conversation_transport, studio_settings, "/api/settings/history")

    assert page.status_code == 200
    assert 'name="minimum_spend" inputmode="decimal" required value="150"' in page.text
    assert saved.status_code == 303
    assert "Saved." in after.text
    assert 'value="200"' in after.text
    assert 'value="100.50"' in after.text
    assert current["settings"]["minimum_spend_minor"] == 20000
    assert current["settings"]["deposit_by_size_minor"] == {
        "small": 5000,
        "medium": 10050,
        "large": 15000,
        "full_day": 25000,
    }
    assert current["settings"]["studio_address"] == "Unit 4, 9 Canal Street, Manchester"
    assert (current["settings"]["artist_does_cover_ups"], current["settings"]["artist_does_colour"]) == (
        False,
        True,
    )
    assert current["settings"]["free_reschedule_notice_hours"] == 48
    assert current["settings"]["refund_notice_hours"] == 168
    assert (current["settings"]["artist_language"], current["currency"]) == ("es", "EUR")
    assert current["settings"]["faq_answers"] == {"bring": "Photo ID, a snack and loose clothes."}
    assert current["settings"]["appointment_early_reminder_on"] is False
    assert current["settings"]["appointment_final_reminder_on"] is True
    assert '<option value="es" selected>Español</option>' in after.text
    assert "<option selected>EUR</option>" in after.text
    assert ">Photo ID, a snack and loose clothes.</textarea>" in after.text
    assert 'name="early_reminder_on">' in after.text, "the first reminder shows switched off"
    assert 'name="final_reminder_on" checked>' in after.text
    assert len(history) == 1


async def test_a_settings_form_without_its_csrf_token_changes_nothing(
    studio_settings: StudioSettings, conversation_transport: httpx.ASGITransport, clock: Clock
) -> None:
    studio = create_app(studio_settings, clock=clock, conversation_transport=conversation_transport)
    async with running_service(studio) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        refused = await client.post("/settings", data=FORM)
    history = await stored(conversation_transport, studio_settings, "/api/settings/history")

    assert refused.status_code == 403
    assert history == []


async def test_an_unreadable_amount_is_explained_and_keeps_what_was_typed(
    studio_settings: StudioSettings, conversation_transport: httpx.ASGITransport, clock: Clock
) -> None:
    studio = create_app(studio_settings, clock=clock, conversation_transport=conversation_transport)
    async with running_service(studio) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        page = await client.get("/settings")
        refused = await client.post(
            "/settings", data={**FORM, "minimum_spend": "two hundred", "csrf": csrf_of(page)}
        )
    history = await stored(conversation_transport, studio_settings, "/api/settings/history")

    assert refused.status_code == 422
    assert "Minimum spend: write an amount like 150 or 150.50." in refused.text
    assert 'value="two hundred"' in refused.text
    assert 'value="Unit 4, 9 Canal Street, Manchester"' in refused.text
    assert ">Photo ID, a snack and loose clothes.</textarea>" in refused.text
    assert '<option value="es" selected>Español</option>' in refused.text
    assert history == []


async def test_the_settings_page_needs_sign_in(
    studio_settings: StudioSettings, conversation_transport: httpx.ASGITransport, clock: Clock
) -> None:
    studio = create_app(studio_settings, clock=clock, conversation_transport=conversation_transport)
    async with running_service(studio) as client:
        page = await client.get("/settings")
        posted = await client.post("/settings", data=FORM)
    history = await stored(conversation_transport, studio_settings, "/api/settings/history")

    assert (page.status_code, page.headers["location"]) == (303, "/sign-in")
    assert posted.status_code == 303
    assert history == []
