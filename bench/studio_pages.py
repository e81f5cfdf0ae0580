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
from pathlib import Path
from typing import Any

import httpx
from _studio_seed import NOW, latest_lead, seed_contacts, seed_leads
from pydantic import SecretStr

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns_app
from inkline_campaigns.db import MIGRATIONS_DIR as CAMPAIGNS_MIGRATIONS
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_devstack.provider_fakes import ProviderFakes, provider_fakes
from inkline_payments.app import create_app as create_payments_app
from inkline_payments.db import MIGRATIONS_DIR as PAYMENTS_MIGRATIONS
from inkline_payments.settings import PaymentsSettings
from inkline_platform.migrations import upgrade
from inkline_studio.app import create_app as create_studio_app
from inkline_studio.db import MIGRATIONS_DIR as STUDIO_MIGRATIONS
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, signed_in_cookie

TOKEN = SecretStr("bench-token-of-at-least-32-characters")


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
