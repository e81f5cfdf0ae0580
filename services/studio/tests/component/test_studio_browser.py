"""The studio in headless Chromium, phone-sized and desktop-sized: sign in through the WhatsApp link, answer a
handed-over client in the Inbox, approve a lead on the board, refund a booked client's deposit, send a quiet
client an approved template, block a day in the calendar and move a booking (the Move form on a phone, drag and
drop on a desktop), build an audience with its live count, make a campaign from an approved template, launch it
and read its results, and change the minimum spend, what a client asking what to bring is told and a reminder in
Settings.

Campaigns and conversation run for real on their own ports (their outbox relays hand the messages to
NATS, so the Inbox's reply reaches the client as a notify.send); the notifier's part is
played by the test, which reads the sign-in link from the notify.send the studio published and reports the
campaign's messages sent, delivered and read. A screenshot of every screen is saved and its path printed.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import insert, select

from inkline_calendar.domain.holds import HoldPolicy
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.settings import EXAMPLE_SEED
from inkline_calendar.testing import BookingFlow, Database
from inkline_campaigns.app import create_app as create_campaigns_app
from inkline_campaigns.db.models import Contact
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_contracts.base import Contract
from inkline_contracts.events.notify import Category, MessageDelivered, MessageRead, MessageSent
from inkline_contracts.examples import EXAMPLES
from inkline_contracts.subjects import Subject
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db.artist_settings import artist_settings_history
from inkline_conversation.db.models import Contact as ConversationContact
from inkline_conversation.db.models import InboundMessage as ConversationInbound
from inkline_conversation.db.models import Lead as ConversationLead
from inkline_conversation.db.models import ReferenceMedia
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.browser import chromium, require_chromium
from inkline_devstack.harness import JetStreamProbe, eventually
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.server import serve_in_background
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import NOON, publish_event, tiny_png

if TYPE_CHECKING:
    from conftest import PayDeposit

    from inkline_devstack.provider_fakes import ProviderFakes

pytestmark = pytest.mark.browser

ARTIST = "447700900123"
LINK = re.compile(r"https?://\S+/sign-in/[A-Za-z0-9_-]+")
BERLIN_OPTED_IN, BERLIN_OPTED_OUT, ELSEWHERE = 7, 2, 5
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
LONDON = ZoneInfo("Europe/London")  # the example availability rules' timezone
ANSWERS = EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json")
# The client whose lead the artist approves on the board (no city: outside the Berlin audience).
APPROVED_CLIENT = "4915199990000"
# A client the assistant handed over to the artist, who wrote within WhatsApp's 24-hour window.
WAITING_CLIENT = "4915188880000"
ANSWER = "Yes, the 14th works. See you then!"
# A client with a booking next week, whom the artist moves to another day.
BOOKED_CLIENT = "4915177770000"
# What a mouse does to move a booking: drag it from its day and drop it on another.
DRAG_AND_DROP = """
const [from, to] = [document.getElementById(arguments[0]), document.getElementById(arguments[1])];
const data = new DataTransfer();
from.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: data}));
to.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: data}));
to.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: data}));
"""
# A booked client whose deposit the artist refunds from the board.
REFUNDED_CLIENT = "4915155550000"
# A client who last wrote three days ago: outside the 24-hour window, only a template reaches them.
QUIET_CLIENT = "4915166660000"
BRING = "Photo ID, a snack and a loose top."


async def seed_contacts(database_url: str) -> None:
    """Berlin clients (most said yes to news, two said stop) and clients elsewhere."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    rows: list[dict[str, Any]] = []
    for i in range(BERLIN_OPTED_IN + BERLIN_OPTED_OUT + ELSEWHERE):
        berlin = i < BERLIN_OPTED_IN + BERLIN_OPTED_OUT
        rows.append(
            {
                "wa_id": f"4915100{i:05d}",
                "profile_name": f"Client {i}",
                "city": "Berlin" if berlin else "Lisbon",
                "country_code": "DE" if berlin else "PT",
                "timezone": "Europe/Berlin" if berlin else "Europe/Lisbon",
                "opted_in": i < BERLIN_OPTED_IN or not berlin,
                "opted_out": BERLIN_OPTED_IN <= i < BERLIN_OPTED_IN + BERLIN_OPTED_OUT,
                "first_seen_at": NOON - timedelta(days=60),
                "tags": [],
            }
        )
    async with uow() as unit:
        await unit.session.execute(insert(Contact), rows)
        await unit.commit()
    await engine.dispose()


class Screens:
    """Drives Chromium through the studio; every screen it reaches is saved as a PNG."""

    def __init__(self, driver: WebDriver, base_url: str, shots: Path) -> None:
        self.driver, self.base_url, self.shots = driver, base_url, shots
        # The live count replaces its element, and a form's redirect replaces the whole page: one read may
        # land on the old element as it goes (stale, or Chromium's "node does not belong to the document").
        self.wait = WebDriverWait(
            driver,
            30,
            poll_frequency=0.1,
            ignored_exceptions=[StaleElementReferenceException, WebDriverException],
        )
        self.saved: list[Path] = []

    def shot(self, name: str) -> None:
        path = self.shots / f"{len(self.saved) + 1:02d}-{name}.png"
        assert self.driver.save_screenshot(str(path)), "Chromium could not take the screenshot"
        self.saved.append(path)
        print(f"screenshot: {path}")

    def visible(self, css: str) -> Any:
        return self.wait.until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def text(self, css: str) -> str:
        return str(self.visible(css).text)

    def ask_for_link(self) -> str:
        self.driver.get(f"{self.base_url}/")
        self.visible("#number").send_keys("+44 7700 900123")
        self.shot("sign-in")
        self.driver.find_element(By.CSS_SELECTOR, "form button.primary").click()
        return self.text("#link-sent h1")

    def open_link(self, link: str) -> str:
        self.driver.get(link)
        self.visible("#confirm-sign-in").click()
        self.visible(".board")
        return str(self.driver.current_url)

    def answer_client(self, lead_id: uuid.UUID) -> tuple[str, str, bool]:
        """Open the waiting client's conversation from the Inbox, answer them, and come back to the board."""
        self.driver.find_element(By.LINK_TEXT, "Inbox").click()
        self.visible(f"#conversation-{lead_id}")
        self.shot("inbox")
        self.driver.find_element(By.ID, f"conversation-{lead_id}").click()
        self.visible("#reply-text").send_keys(ANSWER)
        self.shot("inbox-thread")
        self.driver.find_element(By.CSS_SELECTOR, "#reply button.primary").click()
        sent = self.text(".done")
        latest = self.text("#latest")
        self.shot("inbox-answered")
        fits = self.fits_the_width()
        self.driver.find_element(By.LINK_TEXT, "Leads").click()
        self.visible(".board")
        return sent, latest, fits

    def approve_lead(self, lead_id: uuid.UUID) -> tuple[str, str, str]:
        card = f"#lead-{lead_id}"
        column = self.visible(f"#column-needs_you {card}")
        answers = str(column.find_element(By.CSS_SELECTOR, ".answers").text)
        self.shot("leads")
        column.find_element(By.CSS_SELECTOR, "button[data-action='approve']").click()
        moved = self.visible(f"#column-booking {card}")
        self.shot("lead-approved")
        done = str(moved.find_element(By.CLASS_NAME, "done").text)
        moved_to = str(moved.get_attribute("data-status") or "")
        self.driver.find_element(By.LINK_TEXT, "Campaigns").click()
        self.visible("#new-campaign")
        self.shot("campaigns-empty")
        return answers, done, moved_to

    def refund_deposit(self, lead_id: uuid.UUID) -> tuple[int, str, str, str]:
        """Find the booked client by name, refund their deposit from their card (one more press says so),
        and see it done on the board."""
        self.driver.find_element(By.LINK_TEXT, "Leads").click()
        self.visible("#lead-search").send_keys("noor")
        self.driver.find_element(By.CSS_SELECTOR, "form.search button").click()
        card = self.visible(f"#search-results #lead-{lead_id}")
        found = str(self.text("#search-results")).count("Refund deposit")
        images = card.find_elements(By.CSS_SELECTOR, ".pictures img")
        self.wait.until(lambda d: all(img.get_attribute("naturalWidth") != "0" for img in images))
        self.shot("leads-search")
        card.find_element(By.CSS_SELECTOR, "summary[data-action='refund']").click()
        confirm = self.visible(f"#lead-{lead_id} button[data-action='confirm-refund']")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", confirm)
        self.shot("lead-refund")
        confirm.click()
        notice = self.text(".notice")
        deposit = self.text(f"#column-booked #lead-{lead_id} .deposit")
        self.shot("lead-refunded")
        return len(images), notice, deposit, str(found)

    def send_template(self, lead_id: uuid.UUID) -> tuple[str, str, bool]:
        """Outside the client's window the thread offers approved templates: send "Still interested?"."""
        self.driver.find_element(By.LINK_TEXT, "Inbox").click()
        self.visible(f"#conversation-{lead_id}").click()
        self.visible("#template-picker")
        self.wait.until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".thumb").get_attribute("naturalWidth") != "0"
        )
        self.visible("input[name='template'][value='still_interested']").click()
        self.driver.execute_script("document.querySelector('#template-picker').scrollIntoView()")
        self.shot("inbox-template-picker")
        self.driver.find_element(By.ID, "send-template").click()
        sent = self.text(".done")
        latest = self.text("#latest")
        self.shot("inbox-template-sent")
        return sent, latest, self.fits_the_width()

    def block_a_day(self) -> tuple[str, str]:
        """Block the first day of this week (or the next) that can still be blocked."""
        self.driver.find_element(By.LINK_TEXT, "Calendar").click()
        self.visible(".week")
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "button[data-change='block']")
        if not buttons:
            self.driver.find_element(By.CSS_SELECTOR, "a[aria-label='Next week']").click()
            self.visible(".week")
            buttons = self.driver.find_elements(By.CSS_SELECTOR, "button[data-change='block']")
        day = buttons[0].find_element(By.XPATH, "ancestor::li")
        day_id = str(day.get_attribute("id"))
        self.shot("calendar")
        buttons[0].click()
        blocked = self.visible(f"#{day_id}[data-state='blocked']")
        self.shot("calendar-blocked")
        hours = str(blocked.find_element(By.CLASS_NAME, "hours").text)
        self.driver.find_element(By.LINK_TEXT, "Campaigns").click()
        self.visible("#new-campaign")
        return day_id, hours

    def move_a_booking(self, monday: date, booking_id: str, to_day: date) -> tuple[str, str, str, bool]:
        """Open the booking's week, move it to `to_day` at the same time, and show the hours and tour forms."""
        self.driver.get(f"{self.base_url}/calendar?week={monday.isoformat()}")
        entry = self.visible(f"#booking-{booking_id}")
        idea = str(entry.find_element(By.CLASS_NAME, "idea").text)
        hold = self.text(".entry.hold .state")
        self.shot("calendar-bookings")
        if self.is_phone():
            entry.find_element(By.CSS_SELECTOR, "details.move summary").click()
            form = entry.find_element(By.CSS_SELECTOR, "form")
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", form)
            # A date input's typing order follows the locale; the value itself is ISO everywhere.
            self.driver.execute_script(
                "arguments[0].value = arguments[1]", form.find_element(By.NAME, "day"), to_day.isoformat()
            )
            self.shot("calendar-move")
            form.find_element(By.CSS_SELECTOR, "button.primary").click()
        else:
            # HTML drag and drop, as a mouse makes it: the page's script fills the Move form and sends it.
            self.driver.execute_script(DRAG_AND_DROP, f"booking-{booking_id}", f"day-{to_day.isoformat()}")
        moved = self.visible(f"#day-{to_day.isoformat()} #booking-{booking_id}")
        when = str(moved.find_element(By.CLASS_NAME, "when").text)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", moved)
        self.shot("calendar-moved")
        self.driver.execute_script(
            "for (const d of document.querySelectorAll('.calendar-forms details')) d.open = true;"
            "document.querySelector('.calendar-forms').scrollIntoView()"
        )
        self.shot("calendar-forms")
        fits = self.fits_the_width()
        # Straight to the next screen: the page is scrolled to its foot, far from the navigation.
        self.driver.get(f"{self.base_url}/campaigns")
        self.visible("#new-campaign")
        return when, idea, hold, fits

    def is_phone(self) -> bool:
        return bool(self.driver.execute_script("return window.innerWidth < 800"))

    def build_audience(self) -> tuple[str, str]:
        self.driver.find_element(By.ID, "new-campaign").click()
        everyone = self.text("#audience-total")
        self.visible("#city").send_keys("berlin")
        # The live count: the figure changes without a page load.
        self.wait.until(lambda d: d.find_element(By.ID, "audience-total").text != everyone)
        berlin = self.text("#audience-total")
        self.visible("#name").send_keys("Berlin clients")
        self.shot("audience")
        self.driver.find_element(By.ID, "save-audience").click()
        return everyone, berlin

    def write_message(self) -> str:
        count = self.text("#segment-count")
        self.visible("#name").send_keys("Berlin flash day")
        self.visible("input[name='template'][value='flash_day']").click()
        self.visible("input[name='flash_day.1']").send_keys("Saturday 20 March")
        self.shot("message")
        self.driver.find_element(By.ID, "create-campaign").click()
        return count

    def launch(self) -> tuple[str, str, str]:
        consequence = self.text("#launch-consequence")
        message = self.text("#message-preview")
        self.shot("campaign-draft")
        self.visible("#launch-campaign").click()
        self.wait.until(lambda d: d.find_element(By.ID, "campaign-status").text != "Draft")
        return consequence, message, self.text("#campaign-status")

    def results(self, expected: dict[str, int]) -> dict[str, str]:
        """Reload until the results show the `expected` figures: the notifier's reports arrive on separate
        consumers (sent, delivered, read), so each figure catches up in its own time."""

        def shows(driver: WebDriver) -> bool:
            driver.refresh()
            return all(
                driver.find_element(By.CSS_SELECTOR, f"[data-metric='{metric}'] .value").text == str(value)
                for metric, value in expected.items()
            )

        self.wait.until(shows)
        self.shot("campaign-results")
        figures = {
            row.get_attribute("data-metric") or "": row.find_element(By.CLASS_NAME, "value").text
            for row in self.driver.find_elements(By.CSS_SELECTOR, "#results .row")
        }
        for item in self.driver.find_elements(By.CSS_SELECTOR, "#recipients li"):
            figures[item.get_attribute("data-state") or ""] = item.find_element(By.TAG_NAME, "strong").text
        self.driver.find_element(By.LINK_TEXT, "All campaigns").click()
        self.visible(".campaign-row")
        self.shot("campaigns-list")
        figures["list"] = self.text(".campaign-row .figures")
        return figures

    def schedule_pause_resume(self, campaign_id: str, local_time: str) -> tuple[str, str, str, str]:
        """Schedule a draft for later on the artist's clock, pause it, resume it."""
        self.driver.get(f"{self.base_url}/campaigns/{campaign_id}")
        # A datetime-local field's typing order follows the browser's locale; its value does not.
        self.driver.execute_script("arguments[0].value = arguments[1]", self.visible("#send_at"), local_time)
        self.shot("campaign-left-out")
        self.driver.find_element(By.ID, "schedule-campaign").click()
        starts = self.text("#campaign-starts")
        scheduled = self.text("#campaign-status")
        self.shot("campaign-scheduled")
        self.visible("#pause-campaign").click()
        self.wait.until(lambda d: d.find_element(By.ID, "campaign-status").text == "Paused")
        self.shot("campaign-paused")
        self.visible("#resume-campaign").click()
        self.visible("#pause-campaign")
        return starts, scheduled, self.text("#campaign-status"), self.text("#left-out")

    def change_minimum_spend(self, amount: str, bring: str) -> tuple[str, str, str, bool]:
        """And what a client asking what to bring is told, with the first reminder switched off."""
        self.driver.find_element(By.LINK_TEXT, "Settings").click()
        field = self.visible("#minimum_spend")
        self.shot("settings")
        field.clear()
        field.send_keys(amount)
        self.visible("#faq_bring").send_keys(bring)
        self.driver.find_element(By.ID, "early_reminder_on").click()
        self.driver.execute_script("document.querySelector('#answers').scrollIntoView()")
        self.shot("settings-answers")
        self.driver.find_element(By.ID, "save-settings").click()
        saved = self.text("#settings-saved")
        self.shot("settings-saved")
        shown = str(self.visible("#minimum_spend").get_attribute("value"))
        self.driver.execute_script("document.querySelector('.history').scrollIntoView()")
        self.shot("settings-history")
        return saved, shown, self.text(".history li"), self.fits_the_width()

    def fits_the_width(self) -> bool:
        return bool(
            self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        )


async def seed_lead(database_url: str) -> uuid.UUID:
    """A German-speaking client whose consultation is complete: ready for the artist's decision."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    async with uow() as unit:
        unit.session.add(ConversationContact(wa_id=APPROVED_CLIENT, profile_name="Lena"))
        await unit.session.flush()
        unit.session.add(
            ConversationLead(
                id=lead_id, wa_id=APPROVED_CLIENT, status="qualified", language="de", qualified=ANSWERS
            )
        )
        await unit.commit()
    await engine.dispose()
    return lead_id


async def seed_waiting_client(database_url: str) -> uuid.UUID:
    """A client the assistant handed over: their question waits for the artist's answer."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    wrote_at = datetime.now(UTC) - timedelta(minutes=20)
    async with uow() as unit:
        unit.session.add(ConversationContact(wa_id=WAITING_CLIENT, profile_name="Jonas"))
        await unit.session.flush()
        unit.session.add(
            ConversationLead(
                id=lead_id,
                wa_id=WAITING_CLIENT,
                status="needs_artist",
                resume_status="qualified",
                language="en",
                last_inbound_at=wrote_at,
            )
        )
        await unit.session.flush()
        unit.session.add(
            ConversationInbound(
                wamid="wamid.waiting-client",
                lead_id=lead_id,
                wa_id=WAITING_CLIENT,
                kind="text",
                text="Can I come on the 14th?",
                sent_at=wrote_at,
                raw={
                    "id": "wamid.waiting-client",
                    "type": "text",
                    "text": {"body": "Can I come on the 14th?"},
                },
                processed_at=wrote_at,
            )
        )
        await unit.commit()
    await engine.dispose()
    return lead_id


async def seed_week_of_bookings(database_url: str) -> tuple[date, str, uuid.UUID]:
    """Next week: a booking on Wednesday at 10:00 London time and someone else's hold on Thursday.
    Returns the week's Monday, the booking's id and its lead."""
    engine = make_engine(database_url)
    today = datetime.now(LONDON).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    flow = BookingFlow(
        Database(database_url, engine),
        CalendarRules(
            clock=lambda: datetime.now(UTC),
            hold_policy=HoldPolicy(ttl=timedelta(minutes=45)),
            seed_file=EXAMPLE_SEED,
        ),
    )
    lead = uuid.uuid4()
    at_ten = datetime.combine(monday + timedelta(days=2), time(10), tzinfo=LONDON).astimezone(UTC)
    hold = await flow.hold(lead, at_ten, client_name="Lena")
    assert hold is not None
    [booking] = await flow.answers_to(subjects.BOOKING_CONFIRMED, await flow.pay(lead, hold["hold_id"]))
    assert await flow.hold(uuid.uuid4(), at_ten + timedelta(days=1), client_name="@inked.sam") is not None
    await engine.dispose()
    return monday, str(booking["booking_id"]), lead


async def seed_booked_client(database_url: str, lead_id: uuid.UUID) -> None:
    """Conversation's side of the calendar's booking: Lena and her idea."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    async with uow() as unit:
        unit.session.add(ConversationContact(wa_id=BOOKED_CLIENT, profile_name="Lena"))
        await unit.session.flush()
        unit.session.add(
            ConversationLead(
                id=lead_id, wa_id=BOOKED_CLIENT, status="booked", language="de", qualified=ANSWERS
            )
        )
        await unit.commit()
    await engine.dispose()


async def moves_announced(database_url: str) -> list[dict[str, Any]]:
    """booking.moved in calendar's outbox (its relay does not run here): what conversation would hear."""
    engine = make_engine(database_url)
    found = await Database(database_url, engine).published(subjects.BOOKING_MOVED)
    await engine.dispose()
    return found


async def seed_refunded_client(database_url: str) -> uuid.UUID:
    """A booked client with two reference pictures, whose deposit is paid."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    async with uow() as unit:
        unit.session.add(ConversationContact(wa_id=REFUNDED_CLIENT, profile_name="Noor"))
        await unit.session.flush()
        answers = ANSWERS | {"reference_media_ids": ["noor-1", "noor-2"]}
        unit.session.add(
            ConversationLead(
                id=lead_id, wa_id=REFUNDED_CLIENT, status="booked", language="en", qualified=answers
            )
        )
        await unit.session.flush()
        for media_id, colour in (("noor-1", (196, 90, 60)), ("noor-2", (60, 140, 120))):
            unit.session.add(
                ReferenceMedia(
                    media_id=media_id,
                    lead_id=lead_id,
                    wamid=f"wamid.{media_id}",
                    mime_type="image/png",
                    status="stored",
                    content=tiny_png(rgb=colour),
                )
            )
        await unit.commit()
    await engine.dispose()
    return lead_id


async def seed_quiet_client(database_url: str) -> uuid.UUID:
    """A client who sent a picture and a voice note three days ago and has not written since."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    lead_id = uuid.uuid4()
    wrote_at = datetime.now(UTC) - timedelta(days=3)
    async with uow() as unit:
        unit.session.add(ConversationContact(wa_id=QUIET_CLIENT, profile_name="Ada Brandt"))
        await unit.session.flush()
        unit.session.add(
            ConversationLead(
                id=lead_id, wa_id=QUIET_CLIENT, status="qualified", language="en", last_inbound_at=wrote_at
            )
        )
        await unit.session.flush()
        unit.session.add(
            ReferenceMedia(
                media_id="ada-1",
                lead_id=lead_id,
                wamid="wamid.ada-1",
                mime_type="image/png",
                status="stored",
                content=tiny_png(160, 120, (40, 40, 60)),
            )
        )
        for index, (kind, detail) in enumerate(
            [
                ("image", {"id": "ada-1", "caption": "Like this, but smaller"}),
                ("audio", {"id": "ada-2", "voice": True}),
            ]
        ):
            unit.session.add(
                ConversationInbound(
                    wamid=f"wamid.ada.{index}",
                    lead_id=lead_id,
                    wa_id=QUIET_CLIENT,
                    kind=kind,
                    text=None,
                    sent_at=wrote_at - timedelta(minutes=1 - index),
                    raw={"id": f"wamid.ada.{index}", "type": kind, kind: detail},
                    processed_at=wrote_at,
                )
            )
        await unit.commit()
    await engine.dispose()
    return lead_id


async def known_to_campaigns(database_url: str, wa_id: str) -> bool:
    """Whether campaigns has heard of the client (a lead's status change makes them a contact there)."""
    engine = make_engine(database_url)
    async with make_session_factory(engine)() as session:
        found = await session.scalar(select(Contact.wa_id).where(Contact.wa_id == wa_id))
    await engine.dispose()
    return found is not None


async def report_sends(nats_url: str, sends: list[dict[str, Any]]) -> None:
    """What the notifier reports after sending: each message sent and delivered, the first three read."""
    for index, send in enumerate(sends):
        command_id, to, tag = send["message_id"], send["payload"]["to"], send["payload"]["campaign_tag"]
        wamid = f"wamid.{uuid.uuid4().hex}"
        reports: list[tuple[Subject[Any], Contract]] = [
            (
                subjects.MESSAGE_SENT,
                MessageSent(
                    notification_id=command_id,
                    to=to,
                    wamid=wamid,
                    purpose="campaign",
                    category=Category.MARKETING,
                    campaign_tag=tag,
                ),
            ),
            (
                subjects.MESSAGE_DELIVERED,
                MessageDelivered(notification_id=command_id, wamid=wamid, to=to, campaign_tag=tag),
            ),
        ]
        if index < 3:
            reports.append(
                (
                    subjects.MESSAGE_READ,
                    MessageRead(notification_id=command_id, wamid=wamid, to=to, campaign_tag=tag),
                )
            )
        for subject, payload in reports:
            await publish_event(nats_url, subject, payload, correlation_id=tag)


async def latest_settings(database_url: str) -> tuple[int, str, dict[str, str], bool]:
    """The minimum spend, who saved it, the FAQ answers and the first reminder's switch, as conversation keeps
    them (its API runs on the studio's loop)."""
    engine = make_engine(database_url)
    async with make_session_factory(engine)() as session:
        [version] = await artist_settings_history(session, limit=1)
        settings = version.settings
        found = (
            settings["minimum_spend_minor"],
            version.changed_by,
            settings["faq_answers"],
            settings["appointment_early_reminder_on"],
        )
    await engine.dispose()
    return found


async def draft_for_later(campaigns_url: str, settings: CampaignsSettings) -> str:
    """A second campaign, to Berlin again, made through campaigns' API: the walk schedules and pauses it."""
    token = settings.campaigns_admin_token.get_secret_value()
    async with httpx.AsyncClient(
        base_url=campaigns_url, headers={"Authorization": f"Bearer {token}"}
    ) as admin:
        return await _draft_for_later(admin)


async def _draft_for_later(admin: httpx.AsyncClient) -> str:
    segment = await admin.post("/api/segments", json={"name": "Berlin again", "filter": {"city": "Berlin"}})
    assert segment.status_code == 201, segment.text
    campaign = await admin.post(
        "/api/campaigns",
        json={"name": "Berlin guest spot", "tag": "berlin-guest-spot", "segment_id": segment.json()["segment_id"],
              "template_name": "flash_day", "parameters": [{"value": "Sunday 11 April"}]},
    )  # fmt: skip
    assert campaign.status_code == 201, campaign.text
    return str(campaign.json()["campaign_id"])


async def in_thread(step: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(step, *args)


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_artist_signs_in_by_whatsapp_and_runs_a_campaign_in_chromium(
    size: str,
    database_url: str,
    campaigns_database_url: str,
    nats_url: str,
    tmp_path: Path,
    studio_settings: StudioSettings,
    campaigns_settings: CampaignsSettings,
    conversation_settings: ConversationSettings,
    calendar_transport: httpx.ASGITransport,
    calendar_database_url: str,
    payments_transport: httpx.ASGITransport,
    pay_deposit: PayDeposit,
    fakes: ProviderFakes,
) -> None:
    require_chromium()
    await seed_contacts(campaigns_database_url)
    booked_week, booking_id, booked_lead = await seed_week_of_bookings(calendar_database_url)
    await seed_booked_client(conversation_settings.database_url, booked_lead)
    lead_id = await seed_lead(conversation_settings.database_url)
    waiting_id = await seed_waiting_client(conversation_settings.database_url)
    booked_id = await seed_refunded_client(conversation_settings.database_url)
    await pay_deposit(booked_id, 15_000)
    quiet_id = await seed_quiet_client(conversation_settings.database_url)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with serve_in_background(
        create_campaigns_app(campaigns_settings, clock=lambda: NOON), startup_timeout=60
    ) as campaigns_url:
        async with httpx.AsyncClient(
            base_url=campaigns_url,
            headers={
                "Authorization": f"Bearer {campaigns_settings.campaigns_admin_token.get_secret_value()}"
            },
        ) as admin:
            registered = await admin.put(
                "/api/templates/flash_day",
                json={
                    "languages": ["en"],
                    "parameters": ["Date of the flash day"],
                    "body": "Hi! Flash day on {{1}}: reply here to grab a design and a time.",
                },
            )
            assert registered.status_code == 200, registered.text
        with (
            serve_in_background(
                create_conversation_app(conversation_settings), startup_timeout=60
            ) as conversation_url,
            serve_in_background(
                create_app(
                    studio_settings.model_copy(
                        update={"campaigns_api_url": campaigns_url, "conversation_api_url": conversation_url}
                    ),
                    calendar_transport=calendar_transport,
                    payments_transport=payments_transport,
                ),
                startup_timeout=60,
            ) as studio_url,
            chromium(tmp_path / "profile", window=SIZES[size]) as driver,
        ):
            if size == "phone":
                # Headless Chromium keeps windows at least 500 px wide; a phone's viewport is emulated.
                driver.execute_cdp_cmd(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
                )
            screens = Screens(driver, studio_url, shots)
            async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as whatsapp:
                sent_page = await in_thread(screens.ask_for_link)
                [sign_in] = await whatsapp.wait_for_count(1)
                link = LINK.search(sign_in["payload"]["content"]["body"])
                assert link, sign_in
                landed = await in_thread(
                    screens.open_link, link.group(0).replace("https://studio.example", studio_url)
                )
                reply_sent, reply_shown, inbox_fits = await in_thread(screens.answer_client, waiting_id)
                answers, done, moved_to = await in_thread(screens.approve_lead, lead_id)
                # The approval reaches campaigns as an event: the approved client joins its contacts.
                await eventually(lambda: known_to_campaigns(campaigns_database_url, APPROVED_CLIENT))
                blocked_day, blocked_hours = await in_thread(screens.block_a_day)
                moved_to_day = booked_week + timedelta(days=4)  # Wednesday's booking onto Friday
                moved_when, booked_idea, hold_state, calendar_fits = await in_thread(
                    screens.move_a_booking, booked_week, booking_id, moved_to_day
                )
                everyone, berlin = await in_thread(screens.build_audience)
                segment_count = await in_thread(screens.write_message)
                consequence, message, status_after_launch = await in_thread(screens.launch)
                to_client = await whatsapp.wait_for(
                    lambda messages: any(m["payload"]["to"] == WAITING_CLIENT for m in messages)
                )
                [answered] = [m for m in to_client if m["payload"]["to"] == WAITING_CLIENT]
                sends = await whatsapp.wait_for(
                    lambda messages: (
                        len([m for m in messages if m["payload"].get("campaign_tag")]) >= BERLIN_OPTED_IN
                    )
                )
            await report_sends(nats_url, [m for m in sends if m["payload"].get("campaign_tag")])
            figures = await in_thread(
                screens.results, {"sent": BERLIN_OPTED_IN, "delivered": BERLIN_OPTED_IN, "read": 3}
            )
            fits = await in_thread(screens.fits_the_width)
            later_id = await draft_for_later(campaigns_url, campaigns_settings)
            starts, scheduled, resumed, left_out = await in_thread(
                screens.schedule_pause_resume, later_id, "2027-03-11T10:00"
            )
            saved, minimum_shown, latest_change, settings_fit = await in_thread(
                screens.change_minimum_spend, "250", BRING
            )
            stored = await latest_settings(conversation_settings.database_url)
            [moved] = await moves_announced(calendar_database_url)
            # Last, so that the client the template hands over does not join the campaign's audience.
            async with JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as whatsapp:
                pictures, refund_notice, refunded_deposit, found = await in_thread(
                    screens.refund_deposit, booked_id
                )
                template_sent, template_shown, template_fits = await in_thread(
                    screens.send_template, quiet_id
                )
                nudged = await whatsapp.wait_for(
                    lambda messages: any(m["payload"]["to"] == QUIET_CLIENT for m in messages)
                )
            [template] = [m["payload"]["content"] for m in nudged if m["payload"]["to"] == QUIET_CLIENT]

    assert sent_page == "Check WhatsApp"
    assert sign_in["payload"]["to"] == ARTIST
    assert landed.endswith("/leads")
    assert reply_sent == "Sent to Jonas."
    assert ANSWER in reply_shown
    assert inbox_fits, f"the Inbox is wider than the {size} window"
    assert answered["payload"]["content"] == {"kind": "text", "body": ANSWER, "preview_url": False}
    assert answered["payload"]["purpose"] == "artist_reply"
    assert pictures == 2
    assert found == "1", "the search finds Noor alone"
    assert refund_notice == "Deposit refunded. The client is told on WhatsApp."
    assert refunded_deposit == "Deposit 150.00 GBP refunded"
    assert len(fakes.stripe.refunds()) == 1
    assert template_sent == "Sent to Ada Brandt as an approved message."
    assert "Approved message: Still interested?" in template_shown
    assert template_fits, f"the template picker is wider than the {size} window"
    assert (template["name"], template["body_parameters"]) == ("still_interested", ["Ada"])
    assert "Idea\nfine-line swallow" in answers
    assert "Budget\n400.00 GBP to 500.00 GBP" in answers
    assert (done, moved_to) == ("Done: approved.", "approved")
    assert (everyone, berlin) == (
        str(BERLIN_OPTED_IN + BERLIN_OPTED_OUT + ELSEWHERE + 1),  # and the approved client
        str(BERLIN_OPTED_IN + BERLIN_OPTED_OUT),
    )
    assert segment_count == str(BERLIN_OPTED_IN + BERLIN_OPTED_OUT)
    assert consequence.startswith(f"{BERLIN_OPTED_IN + BERLIN_OPTED_OUT} people match today")
    assert message.endswith("Hi! Flash day on Saturday 20 March: reply here to grab a design and a time.")
    assert status_after_launch in ("Starting", "Sending", "Finished")
    assert figures["sent"] == figures["delivered"] == str(BERLIN_OPTED_IN)
    assert figures["read"] == "3"
    assert figures["handed_off"] == str(BERLIN_OPTED_IN)
    assert figures["skipped_opted_out"] == str(BERLIN_OPTED_OUT)
    assert figures["list"].startswith(f"{BERLIN_OPTED_IN} sent · 3 read")
    assert fits, f"the page is wider than the {size} window"
    assert blocked_day.startswith("day-")
    assert blocked_hours == "Blocked"
    assert moved_when.startswith("10:00–14:00"), moved_when  # noqa: RUF001 - the page's en dash
    assert booked_idea == "fine-line swallow", "the idea comes from the client's conversation"
    assert re.fullmatch(r"Held · \d+ min left", hold_state), hold_state
    assert calendar_fits, f"the calendar is wider than the {size} window"
    assert moved["correlation_id"] == str(booked_lead), (
        "conversation hears of the move, as after a reschedule"
    )
    assert moved["payload"]["range"]["start"].startswith(moved_to_day.isoformat())
    assert saved.startswith("Saved.")
    assert minimum_shown == "250"
    assert latest_change.endswith("Mara"), "the history names who signed in"
    assert stored == (25000, "Mara", {"bring": BRING}, False), (
        "conversation keeps the new minimum, answer and switch, saved by the signed-in artist"
    )
    assert settings_fit, f"the settings page is wider than the {size} window"
    assert (starts, scheduled, resumed) == (
        "Starts Thu 11 Mar, 10:00 (London time).",
        "Scheduled",
        "Scheduled",
    )
    assert "Said stop: 2" in left_out
    # 17 screens before the campaign controls (3 more), the calendar's moves (4 at 390 px, 3 at 1280 px),
    # the refund and template steps (5) and the answers and reminders in Settings (1).
    assert len(screens.saved) == (30 if size == "phone" else 29)
