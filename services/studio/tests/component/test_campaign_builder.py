"""The campaign builder against the campaigns service: an audience becomes a segment, and a template's
blanks become parameters, typed once or filled per client."""

from __future__ import annotations

import httpx

from inkline_devstack.harness import running_service
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie


async def test_a_first_name_blank_is_filled_per_client_and_a_typed_one_is_kept_as_typed(
    studio_settings: StudioSettings, campaigns_transport: httpx.ASGITransport, clock: Clock
) -> None:
    studio = create_app(studio_settings, clock=clock, campaigns_transport=campaigns_transport)
    async with (
        running_service(studio) as client,
        httpx.AsyncClient(
            transport=campaigns_transport,
            base_url="http://campaigns",
            headers={"Authorization": f"Bearer {studio_settings.campaigns_admin_token.get_secret_value()}"},
        ) as campaigns,
    ):
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        audience = await client.get("/campaigns/new")
        saved = await client.post(
            "/campaigns/new",
            data={
                "csrf": csrf_of(audience),
                "group": "past_clients",
                "city": "Leeds",
                "name": "Leeds regulars",
            },
        )
        message_page = await client.get(saved.headers["location"])
        made = await client.post(
            saved.headers["location"],
            data={
                "csrf": csrf_of(message_page),
                "name": "Leeds tour",
                "template": "tour_update",
                "tour_update.1.from": "profile_name",
                "tour_update.1": "",
                "tour_update.2.from": "typed",
                "tour_update.2": "Leeds, 4-6 June",
            },
        )
        empty = await client.post(
            saved.headers["location"],
            data={
                "csrf": csrf_of(message_page),
                "name": "Leeds tour again",
                "template": "tour_update",
                "tour_update.1.from": "profile_name",
                "tour_update.2.from": "typed",
                "tour_update.2": " ",
            },
        )
        campaign_id = made.headers["location"].rsplit("/", 1)[1]
        stored = (await campaigns.get(f"/api/campaigns/{campaign_id}")).json()
        segment = (await campaigns.get(f"/api/segments/{stored['segment_id']}")).json()

    assert "Each client&#39;s first name" in message_page.text
    assert made.status_code == 303
    assert stored["status"] == "draft"
    assert stored["parameters"] == [
        {"field": "profile_name", "fallback": "there"},
        {"value": "Leeds, 4-6 June"},
    ]
    assert (segment["name"], segment["filter"]["past_booked"], segment["filter"]["city"]) == (
        "Leeds regulars",
        True,
        "Leeds",
    )
    assert empty.status_code == 422
    assert "Fill in “city”" in empty.text
