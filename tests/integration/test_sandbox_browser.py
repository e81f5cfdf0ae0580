"""`make up`'s sandbox, driven through its page in headless Chromium: a person books a tattoo end to end.

The five services run as `make up` runs them (INKLINE_SANDBOX=1, provider URLs pointing at the hub), each
on a real port, and the hub serves the page. The browser types the consultation into the client's chat,
taps Approve on the summary on the artist's phone (the tap runs the action link's rules), taps
a slot, pays on the hub's checkout page, and sees the confirmations and the calendar event. A screenshot
of each step is saved under the test's tmp dir and printed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from fastapi import FastAPI
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from inkline_calendar.app import create_app as create_calendar
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.browser import chromium, require_chromium
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_notifier.app import create_app as create_notifier
from inkline_notifier.settings import NotifierSettings
from inkline_payments.app import create_app as create_payments
from inkline_payments.settings import PaymentsSettings
from inkline_sandbox.hub import Hub, HubConfig, create_hub_app, provider_environment
from inkline_sandbox.server import free_port, serve_in_background

pytestmark = pytest.mark.browser

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
CLIENT = "447700900777"
ANSWERS = (
    "Hi! I'd love to book a tattoo",
    "a swallow with a banner",
    "right forearm",
    "10x12cm",
    "traditional",
    "skip",
    "£400-500",
    "London, UK",
    "next three weeks",
    "@jo.tattoos",
    "1",  # the read-back of the answers: send it
)
T = TypeVar("T")


@dataclass
class Stack:
    hub_url: str
    hub: Hub


@contextmanager
def sandbox_stack(databases: dict[str, str], nats_url: str, data_dir: Path) -> Iterator[Stack]:
    """The hub and the five services, configured as `make up` configures them."""
    ports = {name: free_port() for name in ("conversation", "payments")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    hub = Hub(
        HubConfig(conversation_url=urls["conversation"], payments_url=urls["payments"], data_dir=data_dir)
    )
    with ExitStack() as stack:
        hub_url = stack.enter_context(serve_in_background(create_hub_app(hub)))
        hub.serve_at(hub_url)
        providers = provider_environment(hub_url, hub.config)
        common: dict[str, Any] = {"nats_url": nats_url, "inkline_sandbox": True, "log_json": False}
        apps: list[tuple[FastAPI, int | None]] = [
            (
                create_conversation(
                    ConversationSettings(
                        database_url=databases["conversation"],
                        whatsapp_graph_url=providers["WHATSAPP_GRAPH_URL"],
                        public_base_url=urls["conversation"],
                        **common,
                    )
                ),
                ports["conversation"],
            ),
            (
                create_payments(
                    PaymentsSettings(
                        database_url=databases["payments"],
                        stripe_api_base=providers["STRIPE_API_BASE"],
                        public_base_url=urls["payments"],
                        whatsapp_display_phone_number=providers["WHATSAPP_DISPLAY_PHONE_NUMBER"],
                        **common,
                    )
                ),
                ports["payments"],
            ),
            (
                create_calendar(
                    CalendarSettings(
                        database_url=databases["calendar"],
                        google_api_endpoint=providers["GOOGLE_API_ENDPOINT"],
                        google_service_account_file=providers["GOOGLE_SERVICE_ACCOUNT_FILE"],
                        calendar_sync_seconds=0.2,
                        **common,
                    )
                ),
                None,
            ),
            (
                create_notifier(
                    NotifierSettings(
                        database_url=databases["notifier"],
                        whatsapp_graph_url=providers["WHATSAPP_GRAPH_URL"],
                        google_api_endpoint=providers["GOOGLE_API_ENDPOINT"],
                        google_service_account_file=providers["GOOGLE_SERVICE_ACCOUNT_FILE"],
                        sheets_spreadsheet_id=providers["SHEETS_SPREADSHEET_ID"],
                        sheets_flush_seconds=0.5,
                        **common,
                    )
                ),
                None,
            ),
            (create_campaigns(CampaignsSettings(database_url=databases["campaigns"], **common)), None),
        ]
        # Each service in its own thread and event loop, so the blocking browser never stalls one.
        for app, port in apps:
            stack.enter_context(serve_in_background(app, port=port, startup_timeout=60))
        yield Stack(hub_url, hub)


class Walk:
    """One person at the page; waits are on what the page shows, never on time."""

    def __init__(self, driver: WebDriver, shots: Path) -> None:
        self.driver = driver
        self.shots = shots
        self.saved: list[Path] = []
        self.checkout_line = ""
        self.paid_page = ""
        self.chat_link = ""
        self.paid_page_width = 0

    def until(self, condition: Callable[[WebDriver], T], what: str, timeout: float = 45) -> T:
        def attempt(driver: WebDriver) -> T | bool:
            try:
                return condition(driver)
            except (StaleElementReferenceException, WebDriverException):
                return False  # the panel was re-rendered under us; look again

        try:
            result = cast(T, WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(attempt))
        except Exception as exc:
            self.screenshot("failure")
            raise AssertionError(f"page never showed: {what} (screenshots in {self.shots})") from exc
        return result

    def click(self, find: Callable[[WebDriver], WebElement], what: str) -> None:
        """Find and click in one attempt, again if the panel was re-rendered between the two (the page
        refreshes its panels as messages arrive, which leaves a found element stale)."""

        def clicked(driver: WebDriver) -> bool:
            find(driver).click()
            return True

        self.until(clicked, what)

    def screenshot(self, name: str) -> None:
        path = self.shots / f"{len(self.saved) + 1:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        self.saved.append(path)
        print(f"screenshot: {path}")

    def panel_text(self, panel: str) -> str:
        return str(self.driver.find_element(By.ID, panel).text)

    def out_bubbles(self) -> int:
        return len(self.driver.find_elements(By.CSS_SELECTOR, "#client-chat .bubble.out"))

    def say(self, text: str) -> None:
        before = self.out_bubbles()
        box = self.driver.find_element(By.ID, "message")
        box.send_keys(text, Keys.ENTER)
        self.until(lambda d: self.out_bubbles() > before, f"Inkline's answer to {text!r}")

    def open_in_new_tab(self, link_xpath: str, what: str) -> str:
        home = self.driver.current_window_handle
        link = self.until(lambda d: d.find_element(By.XPATH, link_xpath), what)
        link.click()
        self.until(lambda d: len(d.window_handles) > 1, f"a tab for {what}")
        self.driver.switch_to.window(next(h for h in self.driver.window_handles if h != home))
        return home

    def back_to(self, home: str) -> None:
        self.driver.close()
        self.driver.switch_to.window(home)


def walk_the_journey(driver: WebDriver, hub_url: str, shots: Path) -> Walk:
    walk = Walk(driver, shots)
    driver.get(f"{hub_url}/?client={CLIENT}")
    driver.find_element(By.ID, "client-name").send_keys("Jo")
    for answer in ANSWERS:
        walk.say(answer)
    walk.until(
        lambda d: "New lead: Jo" in walk.panel_text("artist-chat"), "the lead summary on the artist's phone"
    )
    walk.screenshot("consultation-and-summary")

    walk.click(
        lambda d: next(
            b for b in d.find_elements(By.CSS_SELECTOR, "#artist-chat button.option") if b.text == "Approve"
        ),
        "the Approve button",
    )
    walk.until(lambda d: "Approved." in walk.panel_text("artist-chat"), "the artist told it is done")
    walk.screenshot("artist-approved")

    walk.click(
        lambda d: d.find_element(By.CSS_SELECTOR, "#client-chat details.list summary"), "the slot list"
    )
    walk.until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#client-chat details.list[open] button.option"), "a slot"
    )
    walk.screenshot("slots-offered")
    walk.click(
        lambda d: d.find_element(By.CSS_SELECTOR, "#client-chat details.list[open] button.option"), "a slot"
    )
    walk.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#calendar .hold .countdown"), "the held slot")
    walk.screenshot("slot-held")

    home = walk.open_in_new_tab(
        "//div[@id='client-chat']//a[contains(@href, '/stripe/checkout/')]", "the deposit link"
    )
    pay = walk.until(
        lambda d: d.find_element(By.CSS_SELECTOR, "form button[type=submit]"), "the checkout page"
    )
    checkout_line = str(driver.find_element(By.TAG_NAME, "li").text)
    walk.screenshot("checkout-page")
    pay.click()
    # Checkout returns the client to payments' paid page: what was booked, and the way back to the chat.
    walk.until(lambda d: "Deposit received" in d.page_source, "the paid page")
    walk.paid_page = str(driver.find_element(By.TAG_NAME, "body").text)
    walk.chat_link = str(driver.find_element(By.LINK_TEXT, "Back to WhatsApp").get_attribute("href"))
    walk.checkout_line = checkout_line
    size = driver.get_window_size()
    driver.set_window_size(390, 844)
    walk.paid_page_width = int(driver.execute_script("return document.documentElement.scrollWidth"))
    walk.screenshot("paid-page-390px")
    driver.set_window_size(size["width"], size["height"])
    walk.back_to(home)

    walk.until(lambda d: "You're booked in" in walk.panel_text("client-chat"), "the client's confirmation")
    walk.until(lambda d: "Booked: Jo" in walk.panel_text("artist-chat"), "the artist's booking note")
    walk.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#calendar .event"), "the event in the calendar panel"
    )
    walk.screenshot("booked")
    return walk


async def test_a_person_books_a_tattoo_end_to_end_through_the_sandbox_page(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    require_chromium()
    databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with (
        sandbox_stack(databases, nats_url, tmp_path / "hub") as stack,
        chromium(tmp_path / "profile") as driver,
    ):
        walk = await asyncio.to_thread(walk_the_journey, driver, stack.hub_url, shots)
        events = stack.hub.google.calendar.events(stack.hub.config.calendar_id)
        sessions = stack.hub.stripe.sessions()

    print(f"screenshots of each step in {shots}")
    assert len(events) == 1, "exactly one calendar event for the booking"
    assert "Tattoo session with Jo" in events[0]["summary"], "the artist's calendar names the client"
    assert "Hi! I'd love" not in walk.checkout_line, "the checkout line is the session, not the first message"
    assert "with Rowan" in walk.checkout_line
    assert "We have your deposit" in walk.paid_page
    assert walk.chat_link == f"https://wa.me/{stack.hub.config.business_number}"
    assert walk.paid_page_width <= 390, "the paid page fits a phone without scrolling sideways"
    assert [s["status"] for s in sessions] == ["complete"]
    assert [p.name for p in walk.saved][-1].endswith("booked.png")
    assert all(p.stat().st_size > 0 for p in walk.saved)
