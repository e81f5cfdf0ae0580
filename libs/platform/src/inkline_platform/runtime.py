"""What every service process runs besides its own logic: database, broker, outbox relay, consumers,
periodic jobs and the health endpoints. A service's `app.py` builds one and adds its handlers."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from fastapi import APIRouter, FastAPI
from nats.js.api import ConsumerConfig
from nats.js.errors import NotFoundError
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import text
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from inkline_contracts.base import Contract
from inkline_contracts.subjects import Subject, dead_letter_subject
from inkline_platform import metrics
from inkline_platform.body_limit import BodyLimitMiddleware, BodyLimits
from inkline_platform.broker import JetStreamPublisher, ensure_consumers, ensure_streams, make_broker
from inkline_platform.consumer import Accepts, Handler, RedeliveryPolicy, register_consumer
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.health import health_router
from inkline_platform.logging import configure_logging
from inkline_platform.outbox import OutboxRelay
from inkline_platform.outbox_wakeup import listen
from inkline_platform.scheduler import PeriodicJob, run_forever
from inkline_platform.settings import ServiceSettings
from inkline_platform.tracing import create_tracer_provider, redact_server_span
from inkline_platform.uow import UnitOfWorkFactory

P = TypeVar("P", bound=Contract)
log = structlog.get_logger(__name__)
# How long stop() waits for a cancelled task to end before cancelling it again.
RECANCEL_AFTER_SECONDS = 1.0
# How often the gauges read from the database or JetStream (outbox, dead letters) are refreshed.
GAUGE_REFRESH_SECONDS = 15.0
FLUSH_TIMEOUT_MILLIS = 5000


class ServiceRuntime:
    def __init__(self, *, service: str, settings: ServiceSettings) -> None:
        self.service = service
        self.settings = settings
        self.tracer_provider = create_tracer_provider(service)
        self.tracer = self.tracer_provider.get_tracer("inkline_platform")
        self.engine = make_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        self.sessions = make_session_factory(self.engine)
        self.broker = make_broker(settings.nats_url, service=service, tracer_provider=self.tracer_provider)
        self.relay = OutboxRelay(
            service=service,
            session_factory=self.sessions,
            publisher=JetStreamPublisher(self.broker),
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
        )
        # Names this replica's announcements, so its listener skips the commits its relay already heard of.
        self._origin = uuid.uuid4().hex
        self.uow = UnitOfWorkFactory(self.sessions, on_commit=self.relay.wake, announce_as=self._origin)
        self.policy = RedeliveryPolicy(
            max_deliver=settings.consumer_max_deliver,
            backoff_seconds=tuple(settings.consumer_backoff_seconds),
            ack_wait_seconds=settings.consumer_ack_wait_seconds,
        )
        self._jobs: list[PeriodicJob] = [
            PeriodicJob(
                name="outbox-gauge",
                interval_seconds=GAUGE_REFRESH_SECONDS,
                run=self._update_outbox_gauge,
                traced=False,
            ),
            PeriodicJob(
                name="dead-letter-gauge",
                interval_seconds=GAUGE_REFRESH_SECONDS,
                run=self.update_dead_letter_gauge,
                traced=False,
            ),
        ]
        self._tasks: list[asyncio.Task[None]] = []
        self._consumers: list[tuple[str, ConsumerConfig]] = []
        self._before_stop: list[Callable[[], Awaitable[None]]] = []
        self._after_stop: list[Callable[[], Awaitable[None]]] = []

    def consume(
        self,
        subject: Subject[P],
        handler: Handler[P],
        *,
        name: str,
        ordered: bool = False,
        partitions: Sequence[str] = (),
        accepts: Accepts[P] | None = None,
        group_commit: bool = False,
    ) -> None:
        """Handle `subject` with `handler` as the durable consumer `<service>-<name>`; `ordered` when the
        handler must see messages one at a time in stream order across every replica.

        With `partitions`, also one consumer `<service>-<name>-<partition>` per partition, each taking what
        was published on `<subject>.<partition>`: ordered within each, the partitions side by side.

        With `accepts`, the messages it declines are acknowledged without touching the database.

        With `group_commit`, the messages of one fetch are handled in one transaction (group_commit.py):
        only for a handler whose every effect is in its transaction (no call out, no unit of work of its own)."""
        for partition in (None, *partitions):
            config = register_consumer(
                self.broker,
                service=self.service,
                name=name,
                subject=subject,
                handler=handler,
                uow_factory=self.uow,
                policy=self.policy,
                ordered=ordered,
                partition=partition,
                accepts=accepts,
                group_commit=group_commit,
            )
            self._consumers.append((subject.stream, config))

    def every(
        self,
        seconds: float,
        run: Callable[[], Awaitable[None]],
        *,
        name: str,
        traced: bool = True,
        wake: asyncio.Event | None = None,
        every_replica: bool = False,
    ) -> None:
        """Run `run` every `seconds`, on one replica at a time (on all at once with `every_replica`, for a
        job that shares out its work itself); each tick is a trace of its own unless `traced` is False (a
        job that only refreshes metrics). Setting `wake` starts the next tick now."""
        self._jobs.append(
            PeriodicJob(
                name=name,
                interval_seconds=seconds,
                run=run,
                traced=traced,
                wake=wake,
                every_replica=every_replica,
            )
        )

    def on_stop(self, close: Callable[[], Awaitable[None]], *, while_running: bool = False) -> None:
        """Await `close` when the service stops: after consumers, jobs and the broker have stopped (an
        adapter's connections), or with `while_running` before them (work in flight that needs them to
        finish). Later registrations run first, as with a context manager stack."""
        (self._before_stop if while_running else self._after_stop).insert(0, close)

    async def start(self) -> None:
        async for attempt in AsyncRetrying(
            stop=stop_after_delay(60),
            wait=wait_exponential(multiplier=0.2, max=3),
            retry=retry_if_exception_type(Exception),
            reraise=True,
        ):
            with attempt:
                await self.broker.connect()
        await ensure_streams(self.broker, replicas=self.settings.stream_replicas)
        await ensure_consumers(self.broker, self._consumers)
        await self.broker.start()
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.service}-outbox-relay"))
        listener = listen(self.engine, origin=self._origin, wake=self.relay.wake)
        self._tasks.append(asyncio.create_task(listener, name=f"{self.service}-outbox-listen"))
        for job in self._jobs:
            task = run_forever(self.engine, service=self.service, job=job, tracer=self.tracer)
            self._tasks.append(asyncio.create_task(task, name=f"{self.service}-{job.name}"))
        log.info("service_started", service=self.service)

    async def stop(self) -> None:
        await self._run_closers(self._before_stop)
        await _cancel_and_wait(self._tasks)
        self._tasks.clear()
        try:
            await self.broker.stop()
        except Exception as exc:
            log.warning("broker_stop_failed", service=self.service, error=repr(exc))
        await self._run_closers(self._after_stop)
        await self.engine.dispose()
        # Spans still batched go out now (off the loop: the exporter blocks); the SDK shuts the provider
        # down at exit.
        await asyncio.to_thread(self.tracer_provider.force_flush, FLUSH_TIMEOUT_MILLIS)
        log.info("service_stopped", service=self.service)

    async def _run_closers(self, closers: Sequence[Callable[[], Awaitable[None]]]) -> None:
        # One failing close must not keep the others (or the engine's disposal) from running.
        for close in closers:
            try:
                await close()
            except Exception as exc:
                log.warning("close_on_stop_failed", service=self.service, close=repr(close), error=repr(exc))

    async def database_ready(self) -> bool:
        async with self.engine.connect() as connection:
            value = await connection.scalar(text("SELECT 1"))
            return bool(value == 1)

    async def nats_ready(self) -> bool:
        return await self.broker.ping(timeout=1.0)

    async def _update_outbox_gauge(self) -> None:
        metrics.OUTBOX_PENDING.labels(self.service).set(await self.relay.pending_count())

    async def update_dead_letter_gauge(self) -> None:
        """Count this service's messages in the dead-letter stream (they stay until someone acts)."""
        subject = dead_letter_subject(self.service)
        js = self.broker.connection.jetstream()
        try:
            info = await js.stream_info(subject.stream, subjects_filter=subject.name)
        except NotFoundError:
            depth = 0
        else:
            depth = (info.state.subjects or {}).get(subject.name, 0)
        metrics.DEAD_LETTER_DEPTH.labels(self.service).set(depth)

    def create_app(
        self,
        *,
        title: str,
        routers: Sequence[APIRouter] = (),
        body_limits: BodyLimits | None = None,
        **fastapi_kwargs: Any,
    ) -> FastAPI:
        """The service's FastAPI app; the broker, relay and jobs live and die with its lifespan. Request
        bodies are capped by `body_limits` (64 KiB unless a route says otherwise)."""
        configure_logging(service=self.service, level=self.settings.log_level, json=self.settings.log_json)

        @contextlib.asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            await self.start()
            try:
                yield
            finally:
                await self.stop()

        app = FastAPI(title=title, lifespan=lifespan, **fastapi_kwargs)
        app.state.runtime = self
        app.add_middleware(BodyLimitMiddleware, limits=body_limits or BodyLimits())
        # Every request but the probes and scrapes is a SERVER span, continuing a caller's `traceparent`.
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.tracer_provider,
            excluded_urls="/healthz,/readyz,/metrics",
            exclude_spans=["receive", "send"],
            # Action tokens, the verify token and media signatures travel in URLs: not into traces.
            server_request_hook=redact_server_span,
        )
        app.include_router(health_router({"database": self.database_ready, "nats": self.nats_ready}))
        for router in routers:
            app.include_router(router)
        return app


async def _cancel_and_wait(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Cancel the tasks and wait until they have ended, cancelling again any that swallowed it.

    One `cancel()` is not enough: on Python 3.11 `asyncio.wait_for` drops a cancellation that arrives as
    the awaited future completes, and nats-py awaits every JetStream publish acknowledgement that way, so
    the outbox relay can survive its cancellation and keep relaying for ever. Waiting with `asyncio.wait`
    (never `suppress(CancelledError)` around `await task`) lets a cancellation of stop()'s own caller
    through instead of treating it as the task's.
    """
    pending = {task for task in tasks if not task.done()}
    for task in pending:
        task.cancel()
    while pending:
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_AFTER_SECONDS)
        for task in pending:
            log.warning("task_survived_cancellation", task=task.get_name())
            task.cancel()
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            log.error("task_failed", task=task.get_name(), error=repr(task.exception()))
