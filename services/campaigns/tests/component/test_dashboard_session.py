"""The dashboard's session against the running service: it shows the funnels, and opens nothing else."""

from __future__ import annotations

from inkline_campaigns.api.dashboard_session import SESSION_COOKIE
from inkline_campaigns.app import create_app
from inkline_campaigns.settings import CampaignsSettings
from inkline_devstack.harness import running_service

TOKEN = "campaigns-admin-token-of-32-char"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_the_dashboard_session_shows_the_funnels_but_does_not_open_the_api(
    database_url: str, nats_url: str
) -> None:
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token=TOKEN, log_json=False
    )
    async with running_service(create_app(settings)) as client:
        signed_in = await client.post("/dashboard/login", content=f"token={TOKEN}", headers=FORM)
        session = signed_in.cookies[SESSION_COOKIE]
        page = await client.get("/dashboard")
        api = await client.get("/api/segments", headers={"Cookie": f"{SESSION_COOKIE}={session}"})
        token_as_cookie = await client.get(
            "/api/segments", headers={"Cookie": f"inkline_campaigns_token={TOKEN}"}
        )

    assert signed_in.status_code == 303
    assert session != TOKEN
    assert "Lead funnel" in page.text
    assert (api.status_code, token_as_cookie.status_code) == (401, 401)


async def test_a_blank_admin_token_opens_the_dashboard_to_nobody(database_url: str, nats_url: str) -> None:
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token="", log_json=False
    )
    async with running_service(create_app(settings)) as client:
        blank_cookies = await client.get(
            "/dashboard", headers={"Cookie": f"inkline_campaigns_token=; {SESSION_COOKIE}="}
        )
        blank_sign_in = await client.post("/dashboard/login", content="token=", headers=FORM)
        api = await client.get("/api/segments", headers={"Authorization": "Bearer "})

    assert 'name="token"' in blank_cookies.text
    assert "Lead funnel" not in blank_cookies.text
    assert blank_sign_in.status_code == 401
    assert api.status_code == 401
