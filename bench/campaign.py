"""Campaign throughput for 100,000 contacts: audience snapshot time and notify.send hand-off rate.

Starts a throwaway PostgreSQL from the embedded wheel, migrates the campaigns database, seeds 100,000
contacts (a fifth of them without consent, some in quiet hours), then measures:
  * audience build: segment SQL + consent, snapshotted into campaign_recipients in one statement;
  * hand-off: deciding per contact and committing recipient state plus the notify.send outbox row.
Publishing the outbox to NATS is the platform relay's job and is not measured here.

    .venv/bin/python bench/campaign.py [--contacts 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from inkline_campaigns.app import marketing_rules
from inkline_campaigns.db import MIGRATIONS_DIR
from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.jobs.dispatch import CampaignDispatcher
from inkline_campaigns.settings import CampaignsSettings
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.migrations import upgrade
from inkline_platform.uow import UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")


async def seed(uow: UnitOfWorkFactory, contacts: int) -> uuid.UUID:
    rows: list[dict[str, Any]] = [
        {
            "wa_id": f"44{i:010d}",
            "profile_name": f"Client {i}",
            "first_seen_at": NOON,
            "city": "London" if i % 10 else "Leeds",
            "opted_in": i % 5 != 0,
            "opted_out": i % 97 == 0,
            "timezone": ZONES[i % len(ZONES)],
            "tags": [],
        }
        for i in range(contacts)
    ]
    async with uow() as unit:
        for start in range(0, contacts, 10_000):
            await unit.session.execute(insert(Contact), rows[start : start + 10_000])
        segment = Segment(segment_id=uuid.uuid4(), name="UK", filter={"city": "london"})
        unit.session.add(segment)
        await unit.session.flush()
        campaign = Campaign(
            campaign_id=uuid.uuid4(),
            name="Bench",
            tag="bench",
            segment_id=segment.segment_id,
            template_name="flash_day",
            template_language="en",
            parameters=[{"field": "profile_name", "fallback": "there"}, {"field": "city"}],
            status="scheduled",
            launched_at=NOON,
        )
        unit.session.add(campaign)
        await unit.commit()
        return campaign.campaign_id


async def measure(url: str, contacts: int) -> None:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    started = time.perf_counter()
    campaign_id = await seed(uow, contacts)
    print(f"seeded {contacts:,} contacts in {time.perf_counter() - started:.2f} s")

    dispatcher = CampaignDispatcher(
        uow=uow,
        rules=marketing_rules(CampaignsSettings(inkline_sandbox=True)),
        rate_per_second=1_000_000_000,  # unthrottled: measure what one dispatcher can do
        interval_seconds=1,
        clock=lambda: NOON,
        batch_size=1000,
    )
    started = time.perf_counter()
    await dispatcher.start_due(NOON)
    snapshot = time.perf_counter() - started
    async with uow() as unit:
        audience = await unit.session.scalar(select(func.count()).where(Recipient.campaign_id == campaign_id))
    print(f"audience build: {audience:,} recipients snapshotted in {snapshot:.2f} s")

    started = time.perf_counter()
    handed_off = await dispatcher.tick()
    elapsed = time.perf_counter() - started
    async with uow() as unit:
        by_state = dict(
            (state, count)
            for state, count in await unit.session.execute(
                select(Recipient.state, func.count())
                .where(Recipient.campaign_id == campaign_id)
                .group_by(Recipient.state)
            )
        )
    print(
        f"hand-off: {handed_off:,} notify.send committed in {elapsed:.2f} s = {handed_off / elapsed:,.0f} messages/s"
    )
    print(f"recipients by state: {by_state}")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="inkline-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as nobody when the bench runs as root
    postgres = PostgresServer(cluster_dir=workdir / "postgres", fast_and_unsafe=True).start(
        log_file=workdir / "postgres.log"
    )
    try:
        asyncio.run(create_database(postgres.admin_dsn, "bench_campaigns"))
        url = postgres.url("bench_campaigns")
        upgrade(MIGRATIONS_DIR, url)
        asyncio.run(measure(url, args.contacts))
    finally:
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
