"""Hold placement under contention: 500 leads pick overlapping ranges of one slot at the same moment.

Prints p50/p99 of one hold.requested handled end to end (inbox claim, lapsed-hold check, insert under the
exclusion constraint, outbox write, commit) and the number of overlapping active reservations (must be 0).
Run: .venv/bin/python bench/holds.py
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inkline_calendar.db import MIGRATIONS_DIR
from inkline_calendar.db.reservations import count_overlapping_active_pairs
from inkline_calendar.domain.holds import HoldPolicy
from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.settings import EXAMPLE_SEED
from inkline_calendar.testing import Database
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.hold import PlaceHold
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_platform.db import make_engine
from inkline_platform.migrations import upgrade
from inkline_platform.testing import FakeClock, deliver

CONTENDERS = 500
NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
SLOT = NOW + timedelta(days=1, hours=2)


async def contend(database: Database) -> list[float]:
    handler = PlaceHoldHandler(
        CalendarRules(
            clock=FakeClock(NOW), hold_policy=HoldPolicy(ttl=timedelta(minutes=45)), seed_file=EXAMPLE_SEED
        )
    )

    async def one(index: int) -> float:
        lead = uuid.uuid4()
        start = SLOT + timedelta(minutes=index % 60)
        command = PlaceHold(
            lead_id=lead,
            slot_id=f"bench-{index}",
            range=TimeRange(start=start, end=start + timedelta(hours=2)),
            city="London",
            size_category=SizeCategory.SMALL,
        )
        began = time.perf_counter()
        await deliver(database.uow, handler, subjects.HOLD_REQUESTED, command, correlation_id=str(lead))
        return time.perf_counter() - began

    return list(await asyncio.gather(*(one(i) for i in range(CONTENDERS))))


async def measure(url: str) -> None:
    await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
    engine = make_engine(url, pool_size=20)
    database = Database(url, engine)
    began = time.perf_counter()
    latencies = sorted(await contend(database))
    wall = time.perf_counter() - began
    async with database.uow() as work:
        overlaps = await count_overlapping_active_pairs(work.session)
    placed = len(await database.published(subjects.HOLD_PLACED))
    rejected = len(await database.published(subjects.HOLD_REJECTED))
    await engine.dispose()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"contenders           {CONTENDERS} (overlapping ranges of one slot, 40 connections;")
    print("                     latency counts from submission, so it includes waiting for a connection)")
    print(f"hold placement p50   {statistics.median(latencies) * 1000:.1f} ms")
    print(f"hold placement p99   {p99 * 1000:.1f} ms")
    print(f"wall time            {wall:.2f} s")
    print(f"hold.placed          {placed}")
    print(f"hold.rejected        {rejected}")
    print(f"overlapping active   {overlaps}")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="inkline-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as nobody when the benchmark runs as root
    server = PostgresServer(cluster_dir=workdir / "postgres", fast_and_unsafe=True).start(
        log_file=workdir / "postgres.log"
    )
    try:
        asyncio.run(create_database(server.admin_dsn, "bench_calendar"))
        asyncio.run(measure(server.url("bench_calendar")))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
