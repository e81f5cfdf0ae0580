"""FastStream NATS broker wiring: the broker, JetStream streams, and the publisher the relay uses."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from faststream.nats import NatsBroker
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js.api import ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError
from opentelemetry.sdk.trace import TracerProvider

from inkline_contracts.streams import stream_specs
from inkline_platform import pull_fetch
from inkline_platform.logging import broker_logger_name
from inkline_platform.tracing import continued

pull_fetch.install()


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
    )


async def ensure_streams(broker: NatsBroker, *, replicas: int = 1) -> None:
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
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)


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
