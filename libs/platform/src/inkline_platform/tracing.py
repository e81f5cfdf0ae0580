"""OpenTelemetry tracing: one TracerProvider per service, and the W3C trace context carried across NATS.

A message's trace context cannot travel with the publish call, because nothing is published in the
request or handler that causes it: the unit of work stores `traceparent` (and `tracestate`) in the outbox
row's `headers`, and the relay publishes the row inside that stored context, so FastStream's
`NatsTelemetryMiddleware` makes its PRODUCER span a child of the request or handler that wrote the row
and puts that span's `traceparent` on the NATS message. The consuming service's middleware continues the
trace in a CONSUMER span around the handler.

Export follows the standard OpenTelemetry variables: with `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, spans go to that collector over OTLP/HTTP (headers, timeout and
sampler from the other `OTEL_*` variables the SDK reads); without it spans are still made, so trace ids
reach the logs and the NATS headers, but nothing is exported.

A URL on a span loses its secrets (action token, verify token, media signature) as the span starts, before
any processor or exporter can see it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_NAMESPACE, Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace import Span as SdkSpan
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from inkline_platform.redaction import redact_secrets

OTLP_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_PROPAGATOR = TraceContextTextMapPropagator()
# Where the HTTP instrumentations (old and new semantic conventions) put a request's URL or parts of it.
URL_ATTRIBUTES = ("http.target", "http.url", "url.full", "url.path", "url.query")


def redact_url_attributes(span: Span) -> None:
    """Replace the secrets in `span`'s URL attributes (a span without attributes to read is left alone)."""
    attributes = getattr(span, "attributes", None) or {}
    for key in URL_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, str) and (redacted := redact_secrets(value)) != value:
            span.set_attribute(key, redacted)


def redact_server_span(span: Span, scope: Mapping[str, Any]) -> None:
    """The ASGI instrumentation's `server_request_hook`: it runs once the request's attributes are set."""
    redact_url_attributes(span)


class SecretRedactingSpanProcessor(SpanProcessor):
    """Redacts a span's URL attributes as it starts: the HTTP client instrumentation sets them when it
    starts the span, so nothing later (our processors, the exporter) sees the originals. The ASGI server
    instrumentation sets them again after the start, which `redact_server_span` undoes."""

    def on_start(self, span: SdkSpan, parent_context: Context | None = None) -> None:
        redact_url_attributes(span)

    def on_end(self, span: ReadableSpan) -> None:
        return None


def create_tracer_provider(service: str, *, set_global: bool = True) -> TracerProvider:
    """The service's provider: resource `service.name=<service>`, OTLP/HTTP export when configured.

    The first provider made in a process (with `set_global`) also becomes the global one, which the
    httpx instrumentation (process-wide, like the httpx clients the adapters build) records its CLIENT
    spans through. A production process runs one service; a test running several in one process sees
    those spans under the first service's name, still in the right trace.
    """
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service, SERVICE_NAMESPACE: "inkline"}))
    provider.add_span_processor(SecretRedactingSpanProcessor())  # first: before any exporter's processor
    if any(os.environ.get(name) for name in OTLP_ENDPOINT_VARIABLES):
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if set_global and not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(provider)
    instrument_httpx()
    return provider


def instrument_httpx() -> None:
    """Every outgoing httpx request (Graph API, Stripe, media downloads) becomes a CLIENT span."""
    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def trace_headers() -> dict[str, str]:
    """The current context as W3C `traceparent`/`tracestate` headers; empty outside any span."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def context_from(headers: Mapping[str, str] | None) -> Context:
    """The trace context `headers` carry; an empty context (a new trace) when they carry none."""
    return _PROPAGATOR.extract(dict(headers or {}))


@contextlib.contextmanager
def continued(headers: Mapping[str, str] | None) -> Iterator[None]:
    """Make the context stored in `headers` current, so spans started inside join that trace; headers
    without one leave the current context as it is."""
    stored = context_from(headers)
    if len(stored) == 0:
        yield
        return
    token = otel_context.attach(stored)
    try:
        yield
    finally:
        otel_context.detach(token)


@contextlib.contextmanager
def root_span(tracer: Tracer, name: str) -> Iterator[Span]:
    """A span that starts a trace of its own, whatever is current (a periodic job's tick)."""
    with tracer.start_as_current_span(name, context=Context(), kind=SpanKind.INTERNAL) as span:
        yield span


def current_ids() -> tuple[str, str] | None:
    """The current trace and span id in hex, as log lines and trace viewers show them."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return trace.format_trace_id(span_context.trace_id), trace.format_span_id(span_context.span_id)
