"""The admin API and dashboard against a running service: auth, readable errors, a campaign end to end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from inkline_campaigns.app import create_app
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_platform.body_limit import DEFAULT_BODY_LIMIT, FORM_BODY_LIMIT

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]


def _app(database_url: str, nats_url: str) -> Any:
    settings = CampaignsSettings(
        database_url=database_url,
        nats_url=nats_url,
        campaigns_admin_token=TOKEN,
        campaigns_dispatch_interval_seconds=0.1,
        campaigns_metrics_interval_seconds=0.2,
        log_json=False,
    )
    return create_app(settings, clock=lambda: NOON)


async def _segment(client: httpx.AsyncClient, name: str, audience: dict[str, Any]) -> str:
    response = await client.post("/api/segments", json={"name": name, "filter": audience}, headers=AUTH)
    assert response.status_code == 201, response.text
    return str(response.json()["segment_id"])


async def test_api_needs_the_admin_bearer_token(database_url: str, nats_url: str) -> None:
    async with running_service(_app(database_url, nats_url)) as client:
        missing = await client.get("/api/segments")
        wrong = await client.get("/api/campaigns", headers={"Authorization": "Bearer guess"})
        right = await client.get("/api/segments", headers=AUTH)
        health = await client.get("/healthz")
        openapi = (await client.get("/openapi.json")).json()

    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert right.status_code == 200
    assert {s["name"] for s in right.json()} >= {
        "Waitlisted",
        "Abandoned consultations",
        "Past clients",
        "Deposit expired",
    }
    assert health.status_code == 200
    assert "/api/campaigns/{campaign_id}/launch" in openapi["paths"]
    assert openapi["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


async def test_invalid_input_is_a_422_a_person_can_read(database_url: str, nats_url: str) -> None:
    async with running_service(_app(database_url, nats_url)) as client:
        typo = await client.post(
            "/api/segments", json={"name": "x", "filter": {"cty": "Berlin"}}, headers=AUTH
        )
        status = await client.post("/api/segments/preview", json={"status_in": ["waitlist"]}, headers=AUTH)
        tag = await client.post(
            "/api/campaigns",
            json={"name": "n", "tag": "Bad Tag", "segment_id": "00000000-0000-0000-0000-000000000000", "template_name": "flash_day"},
            headers=AUTH,
        )  # fmt: skip

    assert typo.status_code == 422
    assert typo.json()["detail"] == "filter.cty: Extra inputs are not permitted"
    assert status.status_code == 422
    assert "unknown status waitlist; known statuses: abandoned" in status.json()["detail"]
    assert tag.status_code == 422
    assert tag.json()["detail"].startswith("tag: String should match pattern")


async def test_a_campaign_that_does_not_fit_its_template_cannot_be_launched(
    database_url: str, nats_url: str
) -> None:
    async with running_service(_app(database_url, nats_url)) as client:
        segment_id = await _segment(client, "Everyone", {})
        created = await client.post(
            "/api/campaigns",
            json={"name": "Flash", "tag": "flash", "segment_id": segment_id, "template_name": "flash_day",
                  "parameters": [{"field": "profile_name"}]},
            headers=AUTH,
        )  # fmt: skip
        launch = await client.post(f"/api/campaigns/{created.json()['campaign_id']}/launch", headers=AUTH)
        after = await client.get(f"/api/campaigns/{created.json()['campaign_id']}", headers=AUTH)

    assert launch.status_code == 422
    assert launch.json()["detail"] == (
        "template 'flash_day' takes 2 parameter(s) (first name, city); the campaign gives 1"
    )
    assert after.json()["status"] == "draft"


async def test_a_launched_campaign_hands_marketing_templates_to_the_notifier_and_publishes_metrics(
    database_url: str, nats_url: str, seed_contacts: SeedContacts
) -> None:
    await seed_contacts(
        [
            {"wa_id": "447700000001", "profile_name": "Ana", "city": "London", "opted_in": True},
            {"wa_id": "447700000002", "city": "London", "opted_in": True},
            {"wa_id": "447700000003", "city": "London", "opted_in": True, "opted_out": True},
            {"wa_id": "447700000004", "city": "Leeds", "opted_in": True},
        ]
    )
    async with (
        running_service(_app(database_url, nats_url)) as client,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
        JetStreamProbe(nats_url, subjects.CAMPAIGN_METRICS.name) as metrics,
    ):
        segment_id = await _segment(client, "London", {"city": "london"})
        preview = (await client.get(f"/api/segments/{segment_id}/preview?limit=2", headers=AUTH)).json()
        created = (
            await client.post(
                "/api/campaigns",
                json={"name": "Spring flash", "tag": "spring-flash", "segment_id": segment_id,
                      "template_name": "flash_day",
                      "parameters": [{"field": "profile_name", "fallback": "there"}, {"field": "city"}]},
                headers=AUTH,
            )
        ).json()  # fmt: skip
        launched = await client.post(f"/api/campaigns/{created['campaign_id']}/launch", headers=AUTH)
        messages = await sends.wait_for_count(2)
        await metrics.wait_for(lambda got: any(m["payload"]["tag"] == "spring-flash" for m in got))
        campaign = await eventually(lambda: _done(client, created["campaign_id"]))
        report = (await client.get(f"/api/campaigns/{created['campaign_id']}/metrics", headers=AUTH)).json()
        relaunch = await client.post(f"/api/campaigns/{created['campaign_id']}/launch", headers=AUTH)

    assert preview["count"] == 3
    assert [c["wa_id"] for c in preview["contacts"]] == ["447700000001", "447700000002"]
    assert launched.json()["status"] == "scheduled"
    assert sorted(
        (m["payload"]["to"], tuple(m["payload"]["content"]["body_parameters"])) for m in messages
    ) == [
        ("447700000001", ("Ana", "London")),
        ("447700000002", ("there", "London")),
    ]
    assert {m["payload"]["category"] for m in messages} == {"marketing"}
    assert {m["payload"]["campaign_tag"] for m in messages} == {"spring-flash"}
    assert campaign["audience_size"] == 3
    assert report["recipients"] == {"handed_off": 2, "skipped_opted_out": 1}
    assert report["metrics"]["tag"] == "spring-flash"
    assert relaunch.status_code == 409
    assert relaunch.json()["detail"] == "a done campaign cannot be launched"


async def _done(client: httpx.AsyncClient, campaign_id: str) -> dict[str, Any] | None:
    campaign: dict[str, Any] = (await client.get(f"/api/campaigns/{campaign_id}", headers=AUTH)).json()
    return campaign if campaign["status"] == "done" else None


async def test_dashboard_asks_for_the_token_then_shows_the_funnels(database_url: str, nats_url: str) -> None:
    async with running_service(_app(database_url, nats_url)) as client:
        anonymous = await client.get("/dashboard")
        wrong = await client.post(
            "/dashboard/login",
            content="token=guess",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        signed_in = await client.post(
            "/dashboard/login",
            content=f"token={TOKEN}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        page = await client.get("/dashboard")  # the client keeps the cookie, as a browser would

    assert 'name="token"' in anonymous.text
    assert "Lead funnel" not in anonymous.text
    assert wrong.status_code == 401
    assert "That token is not right." in wrong.text
    assert signed_in.status_code == 303
    assert page.status_code == 200
    assert "Lead funnel" in page.text
    assert "Deposit paid" in page.text


async def test_oversized_bodies_are_refused_with_413_before_they_are_read(
    database_url: str, nats_url: str
) -> None:
    transport = httpx.ASGITransport(app=_app(database_url, nats_url))
    async with httpx.AsyncClient(transport=transport, base_url="http://campaigns") as client:
        login = await client.post(
            "/dashboard/login",
            content=b"token=" + b"x" * FORM_BODY_LIMIT,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        api = await client.post("/api/segments", content=b"x" * (DEFAULT_BODY_LIMIT + 1), headers=AUTH)

    assert (login.status_code, api.status_code) == (413, 413)
