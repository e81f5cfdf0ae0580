"""A periodic job can be woken: work that just arrived is handled now, not at the next interval."""

from __future__ import annotations

import asyncio

from inkline_devstack.harness import eventually
from inkline_platform.db import make_engine
from inkline_platform.scheduler import PeriodicJob, run_forever

HOUR = 3600.0


async def test_a_woken_job_ticks_again_before_its_interval(database_url: str) -> None:
    engine = make_engine(database_url)
    ticks: list[int] = []
    wake = asyncio.Event()

    async def tick() -> None:
        ticks.append(len(ticks))

    job = PeriodicJob(name="woken", interval_seconds=HOUR, run=tick, traced=False, wake=wake)
    task = asyncio.create_task(run_forever(engine, service="waking", job=job))
    try:
        await eventually(lambda: len(ticks) == 1)
        wake.set()
        await eventually(lambda: len(ticks) == 2)
        wake.set()
        await eventually(lambda: len(ticks) == 3)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engine.dispose()


async def test_a_job_for_every_replica_runs_on_two_replicas_at_once(database_url: str) -> None:
    engine = make_engine(database_url)
    running: list[str] = []
    both = asyncio.Event()

    def tick_on(replica: str) -> PeriodicJob:
        async def tick() -> None:
            running.append(replica)
            if len(running) == 2:
                both.set()
            # Neither tick ends until the other has started: one replica at a time would never get here.
            await both.wait()

        return PeriodicJob(name="sender", interval_seconds=HOUR, run=tick, traced=False, every_replica=True)

    tasks = [
        asyncio.create_task(run_forever(engine, service="sharing", job=tick_on(replica)))
        for replica in ("first", "second")
    ]
    try:
        await eventually(both.is_set)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await engine.dispose()
    assert sorted(running) == ["first", "second"]
