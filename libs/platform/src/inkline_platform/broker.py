"""FastStream NATS broker wiring: the broker, JetStream streams, and the publisher the relay uses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import structlog
from faststream.nats import NatsBroker
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js.api import ConsumerConfig, StorageType, StreamConfig, StreamInfo
from nats.js.errors import APIError, BadRequestError, ServiceUnavailableError
from opentelemetry.sdk.trace import TracerProvider
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_delay, wait_exponential

from inkline_contracts.streams import stream_specs
from inkline_platform import pull_fetch
from inkline_platform.logging import broker_logger_name
from inkline_platform.tracing import continued

pull_fetch.install()

log = structlog.get_logger(__name__)

# JetStream API error codes (nats-server `server/errors.json`).
STREAM_NAME_IN_USE = 10058  # a stream of that name exists with another configuration: update it
INSUFFICIENT_RESOURCES = 10023
NO_SUITABLE_PEERS = 10005  # "no suitable peers for placement": a node has not reported in yet
CLUSTER_NOT_AVAILABLE = 10008
# How long a starting replica waits for the cluster to place a replicated stream. A rolling start of a
# three-node cluster takes a few seconds before the meta leader has heard from every peer.
PLACEMENT_PATIENCE_SECONDS = 60.0


def make_broker(nats_url: str, *, service: str, tracer_provider: TracerProvider | None = None) -> NatsBroker:
    return NatsBroker(
        nats_url,
        name=f"inkline-{service}",
        # PRODUCER spans on publish, a CONSUMER span around every handler, `traceparent` in the headers.
        middlewares=[NatsTelemetryMiddleware(tracer_provider=tracer_provider)],
        # reconnect forever: a NATS restart must not take a service down, only pause it.
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        logger=logging.getLogger(broker_logger_name(service)),
        # No dependency injection: a consumer takes the whole message (see consumer.py), and FastDepends
        # resolves that through a worker thread for every delivery.
        apply_types=False,
    )


async def ensure_streams(
    broker: NatsBroker, *, replicas: int = 1, patience_seconds: float = PLACEMENT_PATIENCE_SECONDS
) -> None:
    """Create or update every stream from the contracts; safe to run from every replica at start-up.

    Streams are declared here, not by FastStream's `JStream(declare=True)`, because that declares a stream
    with only the subjects the current service subscribes to.
    """
    js = broker.connection.jetstream()
    for spec in stream_specs():
        config = StreamConfig(
            name=spec.name,
            subjects=list(spec.subjects),
            storage=StorageType.FILE,
            max_age=float(spec.max_age_seconds),
            duplicate_window=float(spec.duplicate_window_seconds),
            num_replicas=replicas,
        )
        await declare_stream(js, config, patience_seconds=patience_seconds)


class StreamManager(Protocol):
    async def add_stream(self, config: StreamConfig) -> StreamInfo: ...

    async def update_stream(self, config: StreamConfig) -> StreamInfo: ...


async def declare_stream(js: StreamManager, config: StreamConfig, *, patience_seconds: float) -> None:
    """Add the stream, or update it when one of that name exists; wait while the cluster is still forming.

    A node that has just joined is "offline" to the meta leader until its first report, so a replicated
    stream cannot be placed for a moment: that is retried, never mistaken for "exists, update it" (which
    then fails with "stream not found").
    """
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(patience_seconds),
        wait=wait_exponential(multiplier=0.1, max=2),
        retry=retry_if_exception(_cluster_still_forming),
        before_sleep=_log_placement_wait(config),
        reraise=True,
    ):
        with attempt:
            try:
                await js.add_stream(config)
            except BadRequestError as error:
                if error.err_code != STREAM_NAME_IN_USE:
                    raise
                await js.update_stream(config)


def _cluster_still_forming(error: BaseException) -> bool:
    if isinstance(error, ServiceUnavailableError):  # 503: JetStream not ready / no meta leader yet
        return True
    return isinstance(error, APIError) and error.err_code in {
        NO_SUITABLE_PEERS,
        INSUFFICIENT_RESOURCES,
        CLUSTER_NOT_AVAILABLE,
    }


def _log_placement_wait(config: StreamConfig) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.warning(
            "stream_waiting_for_cluster",
            stream=config.name,
            replicas=config.num_replicas,
            attempt=state.attempt_number,
            reason=getattr(error, "description", None) or repr(error),
        )

    return before_sleep


async def ensure_consumers(broker: NatsBroker, consumers: Sequence[tuple[str, ConsumerConfig]]) -> None:
    """Create each durable consumer, or bring an existing one to its current configuration.

    nats-py's `pull_subscribe` only creates a missing consumer and never updates one, so without this a
    changed setting (ack wait, max deliver, ordering) would never reach a consumer that already exists.
    """
    js = broker.connection.jetstream()
    for stream, config in consumers:
        await js.add_consumer(stream, config=config)


class JetStreamPublisher:
    """Publishes one outbox row and waits for the stream's acknowledgement."""

    def __init__(self, broker: NatsBroker, *, timeout: float = 5.0) -> None:
        self._broker = broker
        self._timeout = timeout

    async def publish(
        self,
        *,
        subject: str,
        stream: str,
        body: bytes,
        message_id: str,
        correlation_id: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # Inside the stored context, the telemetry middleware's span continues the trace that wrote the
        # row, and it replaces the stored `traceparent` with its own.
        with continued(headers):
            await self._broker.publish(
                body,
                subject,
                headers={
                    **(headers or {}),
                    "Nats-Msg-Id": message_id,
                    "content-type": "application/json",
                },
                correlation_id=correlation_id,
                stream=stream,
                timeout=self._timeout,
            )
