"""Periodic jobs (sweepers, reminders, reconciliation) that run once per tick across all replicas.

Each tick takes a PostgreSQL transaction-scoped advisory lock named after the job; a replica that does not
get it skips the tick. A job does its work in its own units of work; the lock only decides who runs it.
A job that shares its work out itself (locking the rows it takes, others skipping them) runs on every
replica at once instead (`every_replica`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from opentelemetry import trace
from opentelemetry.trace import Tracer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_platform.tracing import root_span

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[None]]
    # Each tick is the root span of a trace of its own; metric refreshers would only add noise.
    traced: bool = True
    # Set when there is work now (a row just queued): the next tick starts at once instead of after the
    # interval, which stays as the safety net for work this process was not told about.
    wake: asyncio.Event | None = None
    # No advisory lock: every replica runs it, side by side.
    every_replica: bool = False


def advisory_key(service: str, job: str) -> int:
    digest = hashlib.blake2b(f"{service}:{job}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def run_once_if_leader(
    engine: AsyncEngine, *, service: str, job: PeriodicJob, tracer: Tracer | None = None
) -> bool:
    """Run the job if no other replica is running it now; True when it ran."""
    async with engine.connect() as connection, connection.begin():
        got = await connection.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": advisory_key(service, job.name)}
        )
        if not got:
            return False
        await _run(job, tracer)
        return True


async def _run(job: PeriodicJob, tracer: Tracer | None) -> None:
    if not job.traced:
        await job.run()
        return
    with root_span(tracer or trace.get_tracer(__name__), f"job {job.name}") as span:
        span.set_attribute("inkline.job", job.name)
        await job.run()


async def run_forever(
    engine: AsyncEngine, *, service: str, job: PeriodicJob, tracer: Tracer | None = None
) -> None:
    while True:
        if job.wake is not None:
            # Cleared before the tick: a wake-up during it means work the tick may have missed.
            job.wake.clear()
        try:
            if job.every_replica:
                await _run(job, tracer)
            else:
                await run_once_if_leader(engine, service=service, job=job, tracer=tracer)
        except Exception as exc:
            log.error("periodic_job_failed", job=job.name, error=repr(exc))
        await _until_due(job)


async def _until_due(job: PeriodicJob) -> None:
    if job.wake is None:
        await asyncio.sleep(job.interval_seconds)
        return
    # Not asyncio.wait_for: on 3.11 it can swallow a cancellation that races the wake-up.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(job.interval_seconds):
            await job.wake.wait()
