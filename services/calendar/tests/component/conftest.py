"""Real PostgreSQL per test, handlers driven the way the platform consumer drives them, and a Google fake."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.db import MIGRATIONS_DIR
from inkline_calendar.domain.holds import HoldPolicy
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.testing import BookingFlow, Database
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.db import make_engine
from inkline_platform.testing import FakeClock
from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.server import serve_in_background

SEED = Path(__file__).parent / "data" / "availability.yaml"
# A Monday in London winter time; the clocks go forward on Sunday 28 March 2027.
MONDAY = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
KEY_ID = "calendar-test-key"
ARTIST_CALENDAR = "artist@example.com"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def rules(clock: FakeClock) -> CalendarRules:
    return CalendarRules(clock=clock, hold_policy=HoldPolicy(ttl=timedelta(minutes=45)), seed_file=SEED)


@pytest.fixture
async def database(migrated_database: DatabaseFactory) -> AsyncIterator[Database]:
    url = await migrated_database(MIGRATIONS_DIR)
    engine = make_engine(url, pool_size=20)
    yield Database(url, engine)
    await engine.dispose()


@pytest.fixture
def flow(database: Database, rules: CalendarRules) -> BookingFlow:
    return BookingFlow(database, rules)


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def google(rsa_key: rsa.RSAPrivateKey) -> GoogleSandbox:
    sandbox = GoogleSandbox()
    numbers = rsa_key.public_key().public_numbers()
    sandbox.oauth.register_public_key(KEY_ID, modulus=numbers.n, exponent=numbers.e)
    sandbox.calendar.stall_seconds = 1.5
    return sandbox


@pytest.fixture
def google_url(google: GoogleSandbox) -> Iterator[str]:
    with serve_in_background(google.app()) as url:
        yield url


@pytest.fixture
def service_account_file(rsa_key: rsa.RSAPrivateKey, google_url: str, tmp_path: Path) -> Path:
    """A service-account key file whose token_uri is the fake's, as GOOGLE_SERVICE_ACCOUNT_FILE."""
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = tmp_path / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "inkline-test",
                "private_key_id": KEY_ID,
                "private_key": pem,
                "client_email": "calendar@inkline-test.iam.gserviceaccount.com",
                "client_id": "100000000000000000002",
                "token_uri": f"{google_url}/token",
            }
        )
    )
    return path


@pytest.fixture
def adapter(service_account_file: Path, google_url: str) -> GoogleCalendar:
    """The real Google adapter, pointed at the fake."""
    # Shorter than the fake's 1.5 s stall, so CREATE_THEN_TIMEOUT really times the client out.
    return GoogleCalendar.from_service_account_file(
        str(service_account_file), calendar_id=ARTIST_CALENDAR, api_endpoint=google_url, timeout_seconds=0.5
    )
