from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from inkline_devstack.harness import running_service
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings


async def test_stop_finishes_work_in_flight_before_the_jobs_end_and_closes_adapters_after(
    database_url: str, nats_url: str
) -> None:
    runtime = ServiceRuntime(
        service="stopping",
        settings=ServiceSettings(database_url=database_url, nats_url=nats_url, log_json=False),
    )
    job_ticks = asyncio.Event()
    seen: list[str] = []

    async def tick() -> None:
        job_ticks.set()

    def recorder(name: str, *, fails: bool = False) -> Callable[[], Awaitable[None]]:
        async def close() -> None:
            # The runtime's own tasks: its jobs, relay and gauges.
            jobs_alive = any(not task.done() for task in runtime._tasks)
            seen.append(f"{name} (jobs {'running' if jobs_alive else 'stopped'})")
            if fails:
                raise RuntimeError(f"{name} could not close")

        return close

    runtime.every(0.05, tick, name="tick")
    runtime.on_stop(recorder("drain sender"), while_running=True)
    runtime.on_stop(recorder("close http client"))
    runtime.on_stop(recorder("close gateway", fails=True))

    async with running_service(runtime.create_app(title="stopping")):
        await asyncio.wait_for(job_ticks.wait(), timeout=10)

    assert seen == [
        "drain sender (jobs running)",
        "close gateway (jobs stopped)",
        "close http client (jobs stopped)",
    ], "the last adapter registered closes first, and one failing close does not stop the others"
