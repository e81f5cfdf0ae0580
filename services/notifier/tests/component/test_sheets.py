"""The Leads and Campaigns sheets through gspread against the Google fake, written in coalesced batches."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from inkline_contracts import subjects
from inkline_contracts.base import ClientIdentity, Contract, Money, SizeCategory, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.booking import BookingConfirmed, BookingMoved
from inkline_contracts.events.campaign import CampaignMetrics
from inkline_contracts.events.deposit import DepositLinkCreated, DepositPaid
from inkline_contracts.events.hold import HoldPlaced, HoldReleased
from inkline_contracts.events.lead import (
    ClientIdentityChanged,
    HandoverRequested,
    LeadCreated,
    LeadLanguageSet,
    LeadQualified,
    LeadStatusChanged,
)
from inkline_contracts.subjects import Subject
from inkline_devstack.harness import eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.google import GoogleSandbox, SheetsFault
from inkline_sandbox.server import serve_in_background

BOOK = "1NotifierLeadsSpreadsheet000000000000000000"
KEY_ID = "notifier-test-key"
WA = "447700900123"


@pytest.fixture
def google() -> GoogleSandbox:
    return GoogleSandbox()


@pytest.fixture
def google_url(google: GoogleSandbox) -> Iterator[str]:
    with serve_in_background(google.app()) as url:
        yield url


@pytest.fixture
def service_account_file(google: GoogleSandbox, google_url: str, tmp_path: Path) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    google.oauth.register_public_key(KEY_ID, modulus=numbers.n, exponent=numbers.e)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "inkline-test",
        "private_key_id": KEY_ID,
        "private_key": pem,
        "client_email": "notifier@inkline-test.iam.gserviceaccount.com",
        "client_id": "100000000000000000002",
        "token_uri": f"{google_url}/token",
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    return str(path)


async def test_a_leads_row_ends_with_the_journeys_final_state_written_in_few_batches(
    make_settings: Callable[..., Awaitable[NotifierSettings]],
    bus: Bus,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: str,
) -> None:
    google.sheets.create_spreadsheet(BOOK, title="Inkline", worksheets=("Leads",))
    google.sheets.inject(SheetsFault.QUOTA_429, times=1)
    settings = await make_settings(
        sheets_spreadsheet_id=BOOK,
        google_service_account_file=service_account_file,
        google_api_endpoint=google_url,
        sheets_flush_seconds=0.5,
        sheets_quota_backoff_seconds=0.2,
    )
    lead, hold, deposit = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
    slot = TimeRange(start=start, end=start + timedelta(hours=4))
    gbp = Money(amount_minor=15000, currency="GBP")
    journey: list[tuple[Subject[Any], Contract]] = [
        (
            subjects.LEAD_CREATED,
            LeadCreated(lead_id=lead, wa_id=WA, profile_name="Sam", source_campaign_tag="spring"),
        ),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(lead_id=lead, wa_id=WA, from_status=None, to_status="consulting"),
        ),
        (
            subjects.LEAD_QUALIFIED,
            LeadQualified(
                lead_id=lead,
                wa_id=WA,
                idea="fine-line swallow",
                placement="forearm",
                size_cm=(10.0, 15.0),
                size_category=SizeCategory.MEDIUM,
                style="fine line",
                budget_min=Money(amount_minor=40000, currency="GBP"),
                budget_max=Money(amount_minor=50000, currency="GBP"),
                city="London",
                country_code="GB",
            ),
        ),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(lead_id=lead, wa_id=WA, from_status="consulting", to_status="qualified"),
        ),
        (subjects.HOLD_PLACED, HoldPlaced(hold_id=hold, lead_id=lead, range=slot, expires_at=start)),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(lead_id=lead, wa_id=WA, from_status="qualified", to_status="deposit_pending"),
        ),
        (
            subjects.DEPOSIT_LINK_CREATED,
            DepositLinkCreated(
                deposit_id=deposit,
                lead_id=lead,
                hold_id=hold,
                amount=gbp,
                url="https://pay.example/x",
                expires_at=start,
            ),
        ),
        (
            subjects.DEPOSIT_PAID,
            DepositPaid(
                deposit_id=deposit,
                lead_id=lead,
                hold_id=hold,
                amount=gbp,
                paid_at=start,
                checkout_session_id="cs_1",
            ),
        ),
        (
            subjects.BOOKING_CONFIRMED,
            BookingConfirmed(
                booking_id=uuid.uuid4(),
                lead_id=lead,
                hold_id=hold,
                deposit_id=deposit,
                range=slot,
                city="London",
            ),
        ),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(lead_id=lead, wa_id=WA, from_status="deposit_pending", to_status="booked"),
        ),
        (
            subjects.CAMPAIGN_METRICS,
            CampaignMetrics(
                campaign_id=uuid.uuid4(), tag="spring", name="Spring flash", sent=120, delivered=110, read=80
            ),
        ),
    ]
    async with running_service(create_app(settings)):
        for subject, payload in journey:
            await bus.publish(subject, payload, correlation_id=str(lead))

        def final_row() -> list[str] | None:
            values = google.sheets.worksheet_values(BOOK, "Leads")
            return (
                values[1]
                if len(values) == 2 and values[1][10] == "booked" and values[1][12].endswith("paid")
                else None
            )

        row = await eventually(final_row, timeout=20)
        # The Campaigns sheet is written after the Leads sheet: wait until it exists.
        campaigns = await eventually(
            lambda: (
                "Campaigns" in google.sheets.worksheet_titles(BOOK)
                and google.sheets.worksheet_values(BOOK, "Campaigns")[1:]
            )
        )

    header = google.sheets.worksheet_values(BOOK, "Leads")[0]
    assert header[:4] == ["lead_id", "created", "name", "phone"]
    assert row[0] == str(lead)
    assert row[2:11] == [
        "Sam",
        "+44 7700 900123",
        "London",
        "fine-line swallow",
        "forearm",
        "10x15 cm (medium)",
        "fine line",
        "400.00-500.00 GBP",
        "booked",
    ]
    assert row[11:14] == ["Fri 2027-03-12 11:00-15:00 GMT", "150.00 GBP paid", "spring"]
    assert campaigns[0][1:6] == ["spring", "Spring flash", "120", "110", "80"]
    # Eleven events, one refused by the quota: far fewer writes than one per event.
    assert google.sheets.write_calls(BOOK) < len(journey)


async def _sheets_settings(
    make_settings: Callable[..., Awaitable[NotifierSettings]], google_url: str, service_account_file: str
) -> NotifierSettings:
    return await make_settings(
        sheets_spreadsheet_id=BOOK,
        google_service_account_file=service_account_file,
        google_api_endpoint=google_url,
        sheets_flush_seconds=0.2,
        artist_timezone="Europe/London",
    )


async def _sam_writes(bus: Bus, lead: uuid.UUID) -> None:
    """Sam's first message starts the lead (and its row)."""
    created = LeadCreated(lead_id=lead, wa_id=WA, profile_name="Sam")
    await bus.publish(subjects.LEAD_CREATED, created, correlation_id=str(lead))


async def _publish_at(
    bus: Bus, subject: Subject[Any], payload: Contract, *, lead: uuid.UUID, at: datetime
) -> None:
    """Events of one lead come on different subjects; their times, not their arrival, order the row."""
    await bus.publish(
        subject, payload, envelope=new_envelope(subject, payload, correlation_id=str(lead), occurred_at=at)
    )


def _row_in(google: GoogleSandbox, lead: uuid.UUID, language: str) -> dict[str, str] | None:
    """The lead's row once it has its name and shows `language`."""
    row = _lead_row(google, lead)
    return row if row.get("name") and row.get("language") == language else None


def _lead_row(google: GoogleSandbox, lead: uuid.UUID) -> dict[str, str]:
    values = google.sheets.worksheet_values(BOOK, "Leads")
    if not values:
        return {}
    header, *rows = values
    return next((dict(zip(header, row, strict=False)) for row in rows if row[0] == str(lead)), {})


async def test_a_rescheduled_booking_shows_its_new_slot_on_the_artists_clock_not_the_old_hold(
    make_settings: Callable[..., Awaitable[NotifierSettings]],
    bus: Bus,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: str,
) -> None:
    google.sheets.create_spreadsheet(BOOK, title="Inkline", worksheets=("Leads",))
    settings = await _sheets_settings(make_settings, google_url, service_account_file)
    lead, first_hold, second_hold, booking = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # Summer: London is UTC+1, so the artist reads 14:00 for 13:00 UTC.
    first = TimeRange(start=datetime(2027, 7, 8, 13, tzinfo=UTC), end=datetime(2027, 7, 8, 17, tzinfo=UTC))
    second = TimeRange(start=datetime(2027, 7, 15, 9, tzinfo=UTC), end=datetime(2027, 7, 15, 13, tzinfo=UTC))
    expires = datetime(2027, 7, 1, tzinfo=UTC)
    moments = iter(datetime.now(UTC) + timedelta(seconds=n) for n in range(20))
    journey: list[tuple[Subject[Any], Contract]] = [
        (subjects.HOLD_PLACED, HoldPlaced(hold_id=first_hold, lead_id=lead, range=first, expires_at=expires)),
        (
            subjects.BOOKING_CONFIRMED,
            BookingConfirmed(
                booking_id=booking,
                lead_id=lead,
                hold_id=first_hold,
                deposit_id=uuid.uuid4(),
                range=first,
                city="London",
            ),
        ),
        (
            subjects.LEAD_STATUS_CHANGED,
            LeadStatusChanged(lead_id=lead, wa_id=WA, from_status="deposit_paid", to_status="booked"),
        ),
        (
            subjects.HOLD_PLACED,
            HoldPlaced(hold_id=second_hold, lead_id=lead, range=second, expires_at=expires),
        ),
    ]
    moved = BookingMoved(
        booking_id=booking,
        lead_id=lead,
        hold_id=second_hold,
        previous_range=first,
        range=second,
        city="London",
        timezone="Europe/London",
    )
    async with running_service(create_app(settings)):
        for subject, payload in journey:
            await _publish_at(bus, subject, payload, lead=lead, at=next(moments))
        # Wait for the second hold, not just any hold: the first one also shows "(held)" until the booking
        # and the second hold have been applied (each event has its own consumer).
        during = await eventually(
            lambda: row if "moving to" in (row := _lead_row(google, lead)).get("slot", "") else None,
            timeout=20,
        )
        await _publish_at(bus, subjects.BOOKING_MOVED, moved, lead=lead, at=next(moments))
        # The used-up hold is released after the move: it must not bring the old slot back.
        released = HoldReleased(hold_id=first_hold, lead_id=lead, reason="moved")
        await _publish_at(bus, subjects.HOLD_RELEASED, released, lead=lead, at=next(moments))
        after = await eventually(
            lambda: row if "(held)" not in (row := _lead_row(google, lead)).get("slot", "(held)") else None,
            timeout=20,
        )

    assert during["slot"] == "Thu 2027-07-08 14:00-18:00 BST, moving to Thu 2027-07-15 10:00-14:00 BST (held)"
    assert after["slot"] == "Thu 2027-07-15 10:00-14:00 BST"
    assert after["status"] == "booked"


async def test_a_handed_over_leads_row_shows_the_answers_given_so_far(
    make_settings: Callable[..., Awaitable[NotifierSettings]],
    bus: Bus,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: str,
) -> None:
    google.sheets.create_spreadsheet(BOOK, title="Inkline", worksheets=("Leads",))
    settings = await _sheets_settings(make_settings, google_url, service_account_file)
    lead = uuid.uuid4()
    async with running_service(create_app(settings)):
        await _sam_writes(bus, lead)
        await bus.publish(
            subjects.LEAD_HANDOVER_REQUESTED,
            HandoverRequested(
                lead_id=lead,
                wa_id=WA,
                reason="two_strikes",
                field="budget",
                requested_at=datetime.now(UTC),
                answers={"idea": "a moth", "placement": "left forearm", "size": "10x8 cm (medium)"},
            ),
            correlation_id=str(lead),
        )
        # The two events reach the sheet through separate consumers and flushes, in either order: wait for
        # the row both have written.
        row = await eventually(
            lambda: row if (row := _lead_row(google, lead)).get("idea") and row.get("name") else None,
            timeout=20,
        )

    assert (row["name"], row["phone"]) == ("Sam", "+44 7700 900123")
    assert (row["idea"], row["placement"], row["size"]) == ("a moth", "left forearm", "10x8 cm (medium)")


async def test_a_leads_row_shows_the_language_the_client_is_answered_in_as_it_changes(
    make_settings: Callable[..., Awaitable[NotifierSettings]],
    bus: Bus,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: str,
) -> None:
    google.sheets.create_spreadsheet(BOOK, title="Inkline", worksheets=("Leads",))
    settings = await _sheets_settings(make_settings, google_url, service_account_file)
    lead = uuid.uuid4()
    async with running_service(create_app(settings)):
        await _sam_writes(bus, lead)
        # Named as the artist reads the sheet, not by code.
        for language, name in (("pt", "Portuguese"), ("en", "English")):
            await bus.publish(
                subjects.LEAD_LANGUAGE_SET,
                LeadLanguageSet(lead_id=lead, wa_id=WA, language=language),
                correlation_id=str(lead),
            )
            row = await eventually(functools.partial(_row_in, google, lead, name), timeout=20)

    assert google.sheets.worksheet_values(BOOK, "Leads")[0][-1] == "language"
    assert (row["name"], row["language"]) == ("Sam", "English")


async def test_a_client_who_changed_number_shows_the_new_number_on_their_leads_row(
    make_settings: Callable[..., Awaitable[NotifierSettings]],
    bus: Bus,
    google: GoogleSandbox,
    google_url: str,
    service_account_file: str,
) -> None:
    google.sheets.create_spreadsheet(BOOK, title="Inkline", worksheets=("Leads",))
    settings = await _sheets_settings(make_settings, google_url, service_account_file)
    lead = uuid.uuid4()
    async with running_service(create_app(settings)):
        await _sam_writes(bus, lead)
        await eventually(lambda: _lead_row(google, lead).get("name"), timeout=20)
        changed = ClientIdentity(phone="447700900456", username="inked.sam")
        await bus.publish(subjects.LEAD_IDENTITY_CHANGED, ClientIdentityChanged(wa_id=WA, client=changed))
        row = await eventually(
            lambda: row if (row := _lead_row(google, lead)).get("phone") != "+44 7700 900123" else None,
            timeout=20,
        )

    assert (row["name"], row["phone"]) == ("Sam", "+44 7700 900456 (@inked.sam)")
