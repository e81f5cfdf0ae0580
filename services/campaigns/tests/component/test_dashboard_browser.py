"""`/dashboard` in headless Chromium: sign in through the form, read both funnels off the rendered page.

The service runs on a real port (its lifespan and jobs included) over a read model seeded with one
finished campaign and leads at every funnel stage. A screenshot of the signed-in page is saved under
the test's tmp dir and its path printed.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import insert

from inkline_campaigns.app import create_app
from inkline_campaigns.db.models import Campaign, LeadView, Recipient, Segment
from inkline_campaigns.settings import CampaignsSettings
from inkline_devstack.browser import chromium, require_chromium
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.server import serve_in_background

pytestmark = pytest.mark.browser

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
TOKEN = "browser-admin-token"
TAG = "spring-flash"
# Recipients of the campaign: how many reached each stage (each stage implies the ones before it).
CAMPAIGN_FUNNEL = [("Sent", 10), ("Delivered", 8), ("Read", 5), ("Replied", 3), ("Converted", 1)]
LEAD_FUNNEL = [("New", 6), ("Qualified", 4), ("Approved", 3), ("Deposit paid", 2), ("Booked", 1)]


def _reached(funnel: list[tuple[str, int]], stage: int, index: int) -> bool:
    """Whether the `index`-th row (0-based) of a funnel got as far as `stage`."""
    return index < funnel[stage][1]


async def _seed(uow: UnitOfWorkFactory) -> None:
    """One finished campaign with its recipients' milestones, and leads spread over the lead funnel."""
    segment_id, campaign_id = uuid.uuid4(), uuid.uuid4()
    at = NOON - timedelta(days=3)
    sent, delivered, read, replied, converted = range(5)
    recipients = [
        {
            "campaign_id": campaign_id,
            "wa_id": f"4477009{i:05d}",
            "state": "handed_off",
            "message_id": uuid.uuid4(),
            "handed_off_at": at,
            "sent_at": at if _reached(CAMPAIGN_FUNNEL, sent, i) else None,
            "delivered_at": at if _reached(CAMPAIGN_FUNNEL, delivered, i) else None,
            "read_at": at if _reached(CAMPAIGN_FUNNEL, read, i) else None,
            "replied_at": at if _reached(CAMPAIGN_FUNNEL, replied, i) else None,
            "converted_at": at if _reached(CAMPAIGN_FUNNEL, converted, i) else None,
            "revenue_minor": 15000 if _reached(CAMPAIGN_FUNNEL, converted, i) else 0,
            "revenue_currency": "GBP" if _reached(CAMPAIGN_FUNNEL, converted, i) else None,
        }
        for i in range(CAMPAIGN_FUNNEL[sent][1])
    ]
    qualified, approved, paid, booked = range(1, 5)
    leads: list[dict[str, Any]] = [
        {
            "lead_id": uuid.uuid4(),
            "wa_id": f"4477008{i:05d}",
            "status": "new",
            "qualified_at": at if _reached(LEAD_FUNNEL, qualified, i) else None,
            "approved_at": at if _reached(LEAD_FUNNEL, approved, i) else None,
            "deposit_paid_at": at if _reached(LEAD_FUNNEL, paid, i) else None,
            "booked_at": at if _reached(LEAD_FUNNEL, booked, i) else None,
        }
        for i in range(LEAD_FUNNEL[0][1])
    ]
    async with uow() as unit:
        unit.session.add(Segment(segment_id=segment_id, name="London flash fans", filter={"city": "london"}))
        await unit.session.flush()  # no ORM relationship orders the two inserts for the foreign key
        unit.session.add(
            Campaign(
                campaign_id=campaign_id,
                name="Spring flash day",
                tag=TAG,
                segment_id=segment_id,
                template_name="flash_day",
                template_language="en",
                parameters=[],
                status="done",
                audience_size=len(recipients),
                launched_at=at,
                completed_at=at,
            )
        )
        await unit.session.flush()
        await unit.session.execute(insert(Recipient), recipients)
        await unit.session.execute(insert(LeadView), leads)
        await unit.commit()


@dataclass
class Dashboard:
    lead_funnel: list[tuple[str, int]]
    campaign_heading: str
    campaign_funnel: list[tuple[str, int]]
    campaign_bar_widths: list[float]
    revenue: str
    session_cookie_http_only: bool
    cookie_values: list[str]
    screenshot: Path


def _steps(driver: WebDriver, funnel_css: str) -> list[tuple[str, int]]:
    steps = driver.find_elements(By.CSS_SELECTOR, f"{funnel_css} .step")
    return [
        (step.find_element(By.CLASS_NAME, "label").text, int(step.find_element(By.CLASS_NAME, "value").text))
        for step in steps
    ]


def sign_in_and_read(driver: WebDriver, base_url: str, shots: Path) -> Dashboard:
    wait = WebDriverWait(driver, 30, poll_frequency=0.1)
    driver.get(f"{base_url}/dashboard")
    token = wait.until(expected_conditions.visibility_of_element_located((By.NAME, "token")))
    assert not driver.find_elements(By.ID, "lead-funnel"), "the funnels show before signing in"
    token.send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "lead-funnel")))

    campaign = f"section.campaign[data-tag='{TAG}']"
    screenshot = shots / "dashboard.png"
    assert driver.save_screenshot(str(screenshot)), "Chromium could not take the screenshot"
    print(f"\nscreenshot: {screenshot}")
    return Dashboard(
        lead_funnel=_steps(driver, "#lead-funnel"),
        campaign_heading=driver.find_element(By.CSS_SELECTOR, f"{campaign} h2").text,
        campaign_funnel=_steps(driver, f"{campaign} .funnel"),
        campaign_bar_widths=[
            bar.size["width"] for bar in driver.find_elements(By.CSS_SELECTOR, f"{campaign} .bar")
        ],
        revenue=driver.find_element(By.CSS_SELECTOR, f"{campaign} p").text,
        session_cookie_http_only=all(c.get("httpOnly", False) for c in driver.get_cookies()),
        cookie_values=[c["value"] for c in driver.get_cookies()],
        screenshot=screenshot,
    )


async def test_the_dashboard_signs_in_through_its_form_and_renders_both_funnels_in_chromium(
    database_url: str, nats_url: str, uow: UnitOfWorkFactory, tmp_path: Path
) -> None:
    require_chromium()
    await _seed(uow)
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token=TOKEN, log_json=False
    )
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with (
        serve_in_background(create_app(settings, clock=lambda: NOON), startup_timeout=60) as base_url,
        chromium(tmp_path / "profile", window=(1280, 1000)) as driver,
    ):
        page = await asyncio.to_thread(sign_in_and_read, driver, base_url, shots)

    assert page.lead_funnel == LEAD_FUNNEL
    assert page.campaign_heading == f"Spring flash day ({TAG}, done)"
    assert page.campaign_funnel == CAMPAIGN_FUNNEL
    # Laid out by the browser: each bar narrower than the one above, as the figures are.
    assert page.campaign_bar_widths == sorted(page.campaign_bar_widths, reverse=True)
    assert len(set(page.campaign_bar_widths)) == len(CAMPAIGN_FUNNEL)
    assert page.revenue == "Revenue: 150.00 GBP"
    assert page.session_cookie_http_only
    assert page.cookie_values
    assert not [value for value in page.cookie_values if TOKEN in value], "the browser keeps the admin token"
    assert page.screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
