from __future__ import annotations

import http.server
import json
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest
import structlog
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually
from inkline_platform.db import make_session_factory
from inkline_platform.logging import configure_logging
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.scheduler import PeriodicJob, run_once_if_leader
from inkline_platform.settings import ServiceSettings
from inkline_platform.tables import outbox
from inkline_platform.tracing import context_from, continued, create_tracer_provider, trace_headers
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory


def _tracer() -> tuple[trace.Tracer, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test"), exporter


def _chain(span: ReadableSpan, spans: list[ReadableSpan]) -> list[ReadableSpan]:
    """`span` and its ancestors among `spans`, nearest first."""
    by_id = {s.context.span_id: s for s in spans}
    chain = [span]
    while chain[-1].parent is not None and chain[-1].parent.span_id in by_id:
        chain.append(by_id[chain[-1].parent.span_id])
    return chain


def test_trace_headers_round_trip_to_the_same_trace_and_parent() -> None:
    tracer, exporter = _tracer()
    with tracer.start_as_current_span("webhook") as span:
        headers = trace_headers()

    with continued(headers), tracer.start_as_current_span("handler"):
        pass

    child = next(s for s in exporter.get_finished_spans() if s.name == "handler")
    assert set(headers) >= {"traceparent"}
    assert child.context.trace_id == span.get_span_context().trace_id
    assert child.parent is not None
    assert child.parent.span_id == span.get_span_context().span_id


def test_headers_without_a_trace_context_start_a_new_trace() -> None:
    assert trace_headers() == {}
    assert len(context_from(None)) == 0
    assert len(context_from({"traceparent": "not-a-traceparent"})) == 0


async def test_commit_stores_the_trace_context_that_caused_the_messages(engine: AsyncEngine) -> None:
    tracer, _ = _tracer()
    uow = UnitOfWorkFactory(make_session_factory(engine))
    with tracer.start_as_current_span("webhook") as span:
        async with uow() as work:
            work.publish(
                subjects.LEAD_CANCELLED,
                LeadCancelled(lead_id=uuid.uuid4(), reason="test"),
                correlation_id="c",
            )
            await work.commit()
    async with uow() as work:
        work.publish(
            subjects.LEAD_CANCELLED, LeadCancelled(lead_id=uuid.uuid4(), reason="test"), correlation_id="c"
        )
        await work.commit()

    async with engine.connect() as connection:
        stored = (await connection.execute(select(outbox.c.headers).order_by(outbox.c.seq))).scalars().all()
    trace_id = trace.format_trace_id(span.get_span_context().trace_id)
    assert stored[0]["traceparent"].split("-")[1] == trace_id
    assert stored[1] is None, "a message caused outside any trace carries no trace context"


async def test_a_periodic_job_tick_is_the_root_of_a_trace_of_its_own(engine: AsyncEngine) -> None:
    tracer, exporter = _tracer()

    async def tick() -> None:
        with tracer.start_as_current_span("work"):
            pass

    traced = PeriodicJob(name="sweeper", interval_seconds=1, run=tick)
    untraced = PeriodicJob(name="gauge", interval_seconds=1, run=tick, traced=False)
    with tracer.start_as_current_span("start-up") as outer:
        await run_once_if_leader(engine, service="calendar", job=traced, tracer=tracer)
    await run_once_if_leader(engine, service="calendar", job=untraced, tracer=tracer)

    spans = {span.name: span for span in exporter.get_finished_spans()}
    job = spans["job sweeper"]
    assert job.parent is None
    assert job.context.trace_id != outer.get_span_context().trace_id
    assert [s.name for s in exporter.get_finished_spans()].count("work") == 2
    assert "job gauge" not in spans


def test_log_lines_inside_a_span_carry_its_trace_and_span_id(capsys: pytest.CaptureFixture[str]) -> None:
    tracer, _ = _tracer()
    configure_logging(service="test", json=True)
    log = structlog.get_logger("test")
    try:
        with tracer.start_as_current_span("handler") as span:
            log.info("inside")
        log.info("outside")
        inside, outside = (json.loads(line) for line in capsys.readouterr().out.splitlines()[-2:])
    finally:
        with capsys.disabled():  # the logger must not keep writing to this test's closed capture
            configure_logging(service="test", json=False)
    assert inside["trace_id"] == trace.format_trace_id(span.get_span_context().trace_id)
    assert inside["span_id"] == trace.format_span_id(span.get_span_context().span_id)
    assert "trace_id" not in outside


@pytest.fixture
async def runtime(database_url: str, nats_url: str) -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime(
        service="tracetest",
        settings=ServiceSettings(database_url=database_url, nats_url=nats_url, log_json=False),
    )
    yield runtime
    await runtime.stop()


async def test_a_message_is_handled_inside_a_consumer_span_continuing_the_publishers_trace(
    runtime: ServiceRuntime,
) -> None:
    exporter = InMemorySpanExporter()
    runtime.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    handled: list[tuple[Envelope[LeadCancelled], trace.SpanContext]] = []

    async def on_cancelled(uow: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        handled.append((envelope, trace.get_current_span().get_span_context()))

    runtime.consume(subjects.LEAD_CANCELLED, on_cancelled, name="lead-cancelled")
    await runtime.start()
    with runtime.tracer.start_as_current_span("webhook", kind=SpanKind.SERVER) as webhook:
        async with runtime.uow() as work:
            sent = work.publish(
                subjects.LEAD_CANCELLED,
                LeadCancelled(lead_id=uuid.uuid4(), reason="test"),
                correlation_id="lead-7",
            )
            await work.commit()
    await eventually(lambda: handled, timeout=15)
    envelope, handler_context = handled[0]

    # The consumer span ends after the handler returns and the message is acknowledged: wait for that
    # span, not for the first one to end.
    def finished_with_consumer() -> list[ReadableSpan]:
        spans = list(exporter.get_finished_spans())
        return spans if any(s.context.span_id == handler_context.span_id for s in spans) else []

    spans = await eventually(finished_with_consumer, timeout=5)
    consumer = next(s for s in spans if s.context.span_id == handler_context.span_id)

    chain = _chain(consumer, spans)
    assert envelope.message_id == sent.message_id
    assert consumer.kind is SpanKind.CONSUMER
    assert consumer.attributes is not None
    assert consumer.attributes["messaging.system"] == "nats"
    assert consumer.attributes["messaging.destination.name"] == subjects.LEAD_CANCELLED.name
    assert consumer.attributes["messaging.message.id"] == str(sent.message_id)
    assert consumer.attributes["messaging.consumer.group.name"] == "tracetest-lead-cancelled"
    assert chain[-1].context.span_id == webhook.get_span_context().span_id
    assert {s.context.trace_id for s in chain} == {webhook.get_span_context().trace_id}
    assert SpanKind.PRODUCER in {s.kind for s in chain}, "the relay's publish is a link in the chain"


class _Collector(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP trace endpoint that keeps what it is sent."""

    received: ClassVar[list[tuple[str, str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


def test_spans_go_to_the_otlp_http_endpoint_named_by_the_standard_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
        provider = create_tracer_provider("exporttest", set_global=False)
        with provider.get_tracer("test").start_as_current_span("webhook"):
            pass
        assert provider.force_flush(10_000)
        provider.shutdown()
    finally:
        server.shutdown()
        thread.join()

    path, content_type, body = _Collector.received[-1]
    request = ExportTraceServiceRequest.FromString(body)
    resource = {a.key: a.value.string_value for a in request.resource_spans[0].resource.attributes}
    names = [s.name for scope in request.resource_spans[0].scope_spans for s in scope.spans]
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    assert resource["service.name"] == "exporttest"
    assert names == ["webhook"]
