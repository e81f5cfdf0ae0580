"""Studio page times with 10,000 leads and 100,000 contacts: p50 and p95 of every screen, sequentially.

Starts a throwaway PostgreSQL and NATS, migrates the studio's, conversation's, calendar's, campaigns' and
payments' databases, seeds 10,000 leads (all statuses, with answers, ten messages queued to each) and 100,000
campaign contacts with five launched campaigns of 10,000 recipients each, then requests each page as a
signed-in artist. The services answer in-process (httpx's ASGI transport), so a figure is the studio's
work plus the services' queries and rendering, without network hops; all of it shares one event loop and
one core.

    .venv/bin/python bench/studio_pages.py [--leads 10000] [--contacts 100000] [--requests 50]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, select

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns_app
from inkline_campaigns.db import MIGRATIONS_DIR as CAMPAIGNS_MIGRATIONS
from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_contracts.examples import EXAMPLES
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_conversation.db.models import Contact as ClientContact
from inkline_conversation.db.models import Lead
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_devstack.provider_fakes import ProviderFakes, provider_fakes
from inkline_payments.app import create_app as create_payments_app
from inkline_payments.db import MIGRATIONS_DIR as PAYMENTS_MIGRATIONS
from inkline_payments.settings import PaymentsSettings
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.migrations import upgrade
from inkline_platform.tables import outbox
from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.app import create_app as create_studio_app
from inkline_studio.db import MIGRATIONS_DIR as STUDIO_MIGRATIONS
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, signed_in_cookie

NOW = datetime.now(UTC)
TOKEN = SecretStr("bench-token-of-at-least-32-characters")
STATUSES = (
    "new", "consulting", "needs_artist", "below_minimum", "tour_offered", "waitlisted", "qualified",
    "approved", "rejected", "slots_offered", "slot_held", "deposit_requested", "deposit_paid",
    "booked", "no_show", "abandoned", "cancelled",
)  # fmt: skip
ANSWERS = EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json")
CAMPAIGNS, RECIPIENTS = 5, 10_000
# Messages queued to each client (the outbox rows a thread reads): 100,000 rows with 10,000 leads.
SENT_PER_LEAD = 10


def sent_rows(lead_id: uuid.UUID, wa_id: str) -> list[dict[str, Any]]:
    """What the journey queued for one client: the thread's outgoing half, as the outbox keeps it."""
    rows = []
    for n in range(SENT_PER_LEAD):
        envelope = new_envelope(
            subjects.NOTIFY_SEND,
            SendMessage(to=wa_id, content=TextContent(body=f"Message {n}"), purpose="consult_question"),
            correlation_id=str(lead_id),
        )
        rows.append(
            {
                "message_id": envelope.message_id,
                "subject": subjects.NOTIFY_SEND.name,
                "stream": subjects.NOTIFY_SEND.stream,
                "correlation_id": str(lead_id),
                "body": envelope.model_dump_json(),
                "published_at": NOW,
            }
        )
    return rows


async def seed_leads(url: str, leads: int) -> None:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    async with uow() as unit:
        for start in range(0, leads, 5_000):
            numbers = range(start, min(start + 5_000, leads))
            await unit.session.execute(
                insert(ClientContact),
                [{"wa_id": f"4477{i:08d}", "profile_name": f"Client {i}"} for i in numbers],
            )
            ids = {i: uuid.uuid4() for i in numbers}
            await unit.session.execute(
                insert(Lead),
                [
                    {
                        "id": ids[i],
                        "wa_id": f"4477{i:08d}",
                        "status": STATUSES[i % len(STATUSES)],
                        "qualified": ANSWERS,
                        "status_changed_at": NOW - timedelta(minutes=i),
                        "last_inbound_at": NOW - timedelta(minutes=i),
                    }
                    for i in numbers
                ],
            )
            await unit.session.execute(
                insert(outbox), [row for i in numbers for row in sent_rows(ids[i], f"4477{i:08d}")]
            )
        await unit.commit()
    await engine.dispose()


async def latest_lead(url: str) -> uuid.UUID:
    """The conversation at the top of the Inbox (its thread is the one an artist opens first)."""
    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        found = await session.scalar(select(Lead.id).order_by(Lead.last_inbound_at.desc()).limit(1))
    await engine.dispose()
    assert found is not None
    return found


async def seed_contacts(url: str, contacts: int) -> tuple[uuid.UUID, uuid.UUID]:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    rows: list[dict[str, Any]] = [
        {
            "wa_id": f"49{i:010d}",
            "profile_name": f"Client {i}",
            "first_seen_at": NOW - timedelta(days=30),
            "city": "Berlin" if i % 4 else "Hamburg",
            "style": "fine line" if i % 3 else "blackwork",
            "opted_in": i % 5 != 0,
            "tags": [],
        }
        for i in range(contacts)
    ]
    async with uow() as unit:
        for start in range(0, contacts, 10_000):
            await unit.session.execute(insert(Contact), rows[start : start + 10_000])
        segment = Segment(segment_id=uuid.uuid4(), name="Berlin", filter={"city": "berlin"})
        unit.session.add(segment)
        await unit.session.flush()
        campaign_id = uuid.uuid4()
        for n in range(CAMPAIGNS):
            this = campaign_id if n == 0 else uuid.uuid4()
            unit.session.add(
                Campaign(
                    campaign_id=this,
                    name=f"Flash day {n}",
                    tag=f"flash-{n}",
                    segment_id=segment.segment_id,
                    template_name="flash_day",
                    template_language="en",
                    parameters=[{"value": "Saturday"}],
                    status="done",
                    audience_size=RECIPIENTS,
                    launched_at=NOW - timedelta(days=n + 1),
                    completed_at=NOW - timedelta(days=n + 1),
                )
            )
            await unit.session.flush()
            at = NOW - timedelta(days=n + 1)
            await unit.session.execute(
                insert(Recipient),
                [
                    {
                        "campaign_id": this,
                        "wa_id": f"49{i:010d}",
                        "state": "handed_off",
                        "message_id": uuid.uuid4(),
                        "handed_off_at": at,
                        "sent_at": at,
                        "delivered_at": at if i % 2 else None,
                        "read_at": at if i % 3 == 0 else None,
                    }
                    for i in range(n * RECIPIENTS, (n + 1) * RECIPIENTS)
                ],
            )
        await unit.commit()
    await engine.dispose()
    return segment.segment_id, campaign_id


async def measure(
    urls: dict[str, str], nats_url: str, fakes: ProviderFakes, args: argparse.Namespace
) -> None:
    started = time.perf_counter()
    await seed_leads(urls["conversation"], args.leads)
    segment_id, campaign_id = await seed_contacts(urls["campaigns"], args.contacts)
    print(
        f"seeded {args.leads:,} leads and {args.contacts:,} contacts in {time.perf_counter() - started:.1f} s"
    )

    common: dict[str, Any] = {
        "nats_url": nats_url,
        "inkline_sandbox": True,
        "log_json": False,
        "log_level": "WARNING",
    }
    conversation = create_conversation_app(
        ConversationSettings(
            database_url=urls["conversation"],
            conversation_admin_token=TOKEN,
            whatsapp_graph_url=fakes.graph_url,
            **common,
        )
    )
    campaigns = create_campaigns_app(
        CampaignsSettings(database_url=urls["campaigns"], campaigns_admin_token=TOKEN, **common)
    )
    calendar = create_calendar_app(
        CalendarSettings(
            database_url=urls["calendar"],
            calendar_admin_token=TOKEN,
            # In the sandbox a service talks only to the hub's fakes: they are served for the bench too.
            google_api_endpoint=fakes.google_url,
            google_service_account_file=str(fakes.service_account),
            google_calendar_id=fakes.credentials.calendar_id,
            **common,
        )
    )
    payments = create_payments_app(
        PaymentsSettings(
            database_url=urls["payments"],
            stripe_api_base=fakes.stripe_url,
            stripe_api_key=fakes.credentials.stripe_key,
            payments_admin_token=TOKEN,
            **common,
        )
    )
    settings = StudioSettings(
        database_url=urls["studio"],
        conversation_admin_token=TOKEN,
        campaigns_admin_token=TOKEN,
        calendar_admin_token=TOKEN,
        payments_admin_token=TOKEN,
        **common,
    )
    studio = create_studio_app(
        settings,
        conversation_transport=httpx.ASGITransport(app=conversation),
        campaigns_transport=httpx.ASGITransport(app=campaigns),
        calendar_transport=httpx.ASGITransport(app=calendar),
        payments_transport=httpx.ASGITransport(app=payments),
    )
    pages = {
        "inbox": "/inbox",
        "inbox thread": f"/inbox/{await latest_lead(urls['conversation'])}",
        "leads board": "/leads",
        "leads search (a name)": "/leads?q=client+4242",
        "leads search (phone digits)": "/leads?q=4242",
        # Every seeded lead has the same idea: a full page and a next one, of 10,000 matches.
        "leads search (10,000 match)": "/leads?q=swallow",
        "calendar week": "/calendar",
        "campaigns list": "/campaigns",
        "new campaign (live count)": "/campaigns/new",
        "campaign message": f"/campaigns/new/{segment_id}",
        "campaign results": f"/campaigns/{campaign_id}",
    }
    print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8}")
    async with running_service(studio) as client:
        client.cookies.update(signed_in_cookie(settings.studio_session_secret, clock=Clock(NOW)))
        for name, path in pages.items():
            for _ in range(5):  # warm the pools and the template cache
                assert (await client.get(path)).status_code == 200, path
            times = []
            for _ in range(args.requests):
                began = time.perf_counter()
                response = await client.get(path)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            p95 = statistics.quantiles(times, n=20)[18]
            print(f"{name:<28} {statistics.median(times):>8.1f} {p95:>8.1f}")
    for app in (conversation, campaigns, calendar, payments):
        await app.state.runtime.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="inkline-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as nobody when the bench runs as root
    postgres = PostgresServer(cluster_dir=workdir / "postgres", fast_and_unsafe=True).start(
        log_file=workdir / "postgres.log"
    )
    nats = NatsServer(store_dir=workdir / "nats").start(log_file=workdir / "nats.log")
    try:
        urls = {}
        for name, migrations in (
            ("studio", STUDIO_MIGRATIONS),
            ("conversation", CONVERSATION_MIGRATIONS),
            ("calendar", CALENDAR_MIGRATIONS),
            ("campaigns", CAMPAIGNS_MIGRATIONS),
            ("payments", PAYMENTS_MIGRATIONS),
        ):
            asyncio.run(create_database(postgres.admin_dsn, f"bench_{name}"))
            urls[name] = postgres.url(f"bench_{name}")
            upgrade(migrations, urls[name])
        with provider_fakes(workdir) as fakes:
            asyncio.run(measure(urls, nats.url, fakes, args))
    finally:
        nats.stop()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
