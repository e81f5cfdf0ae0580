"""One booking is one readable trace: webhook → conversation → calendar → payments → notifier → Graph API.

Every service runs in this process with an in-memory span exporter on its TracerProvider. The client
consults, the artist approves, and the client's pick of a slot (one signed webhook) must lead, inside one
trace, through the hold in calendar and the Checkout Session in payments to the Graph API call that sends
the deposit link, every span's parent in the same trace. The same run reads `/metrics` before and after.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client.parser import text_string_to_metric_families

from inkline_devstack.harness import eventually, running_service
from inkline_devstack.provider_fakes import CREDENTIALS, ProviderFakes, provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_sandbox.graph.webhooks import Customer, encode, list_reply_message, sign_payload, text_message

SERVICES_USED = ("conversation", "calendar", "payments", "notifier")
MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES if service.name in SERVICES_USED}
CLIENT = Customer(wa_id="447700900555", name="Kit")
ANSWERS = (
    "Hi! I'd love to book a tattoo",
    "a moth",
    "left calf",
    "8x8cm",
    "blackwork",
    "skip",
    "£300-400",
    "London, UK",
    "next three weeks",
    "@kit.ink",
    "1",  # the read-back of the answers: send it
)
ServiceApp = Callable[..., FastAPI]
WEBHOOK_SPAN = "POST /webhooks/whatsapp"
# The slot pick → hold (calendar) → deposit (payments) → the link sent to the client (notifier).
DEPOSIT_LINK_HOPS = ["conversation", "calendar", "conversation", "payments", "conversation", "notifier"]


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    # Providers outlive the test (the SDK shuts them down at exit): a stopped exporter keeps nothing more.
    exporter.shutdown()


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes.get("service.name"))


def _url(span: ReadableSpan) -> str:
    attributes = span.attributes or {}
    return str(attributes.get("url.full") or attributes.get("http.url") or "")


def _graph_sends(spans: list[ReadableSpan], trace_id: int) -> list[ReadableSpan]:
    return [
        s
        for s in spans
        if s.context.trace_id == trace_id and s.kind is SpanKind.CLIENT and _url(s).endswith("/messages")
    ]


def _ancestors(span: ReadableSpan, spans: list[ReadableSpan]) -> list[ReadableSpan]:
    by_id = {s.context.span_id: s for s in spans}
    chain = [span]
    while chain[-1].parent is not None and chain[-1].parent.span_id in by_id:
        chain.append(by_id[chain[-1].parent.span_id])
    return chain


def _assert_linked(spans: list[ReadableSpan], root: ReadableSpan) -> list[ReadableSpan]:
    """Every span of `root`'s trace descends from `root` through parents in the same trace."""
    in_trace = [s for s in spans if s.context.trace_id == root.context.trace_id]
    by_id = {s.context.span_id: s for s in in_trace}
    for span in in_trace:
        ancestor = span
        while ancestor is not root:
            assert ancestor.parent is not None, f"{ancestor.name} ({_service(ancestor)}) is a second root"
            assert ancestor.parent.span_id in by_id, f"{ancestor.name}'s parent is not in the trace"
            ancestor = by_id[ancestor.parent.span_id]
    return in_trace


async def _metric(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    text = (await client.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


async def _metrics(client: httpx.AsyncClient) -> dict[str, float]:
    return {
        "messages": await _metric(client, "inkline_webhook_messages_total", kind="message"),
        "rejected": await _metric(client, "inkline_webhook_messages_total", kind="rejected"),
        "sent": await _metric(client, "inkline_sends_total", status="sent"),
        "holds_handled": await _metric(
            client, "inkline_handler_seconds_count", consumer="calendar-hold-requested"
        ),
    }


async def _gauge_is(client: httpx.AsyncClient, name: str, value: float) -> bool:
    return await _metric(client, name) == value


def _hops_to_graph(spans: list[ReadableSpan], webhook: ReadableSpan) -> list[list[str]]:
    """For each Graph API call in the webhook's trace, the services whose consumers led to it."""
    in_trace = [s for s in spans if s.context.trace_id == webhook.context.trace_id]
    return [
        [_service(s) for s in reversed(_ancestors(send, in_trace)) if s.kind is SpanKind.CONSUMER]
        for send in _graph_sends(in_trace, webhook.context.trace_id)
    ]


def _pick_trace(finished: tuple[ReadableSpan, ...]) -> list[ReadableSpan] | None:
    """All spans once the pick's trace has reached the Graph API through payments; None before."""
    spans = list(finished)
    webhook = next((s for s in spans if s.kind is SpanKind.SERVER and s.name == WEBHOOK_SPAN), None)
    if webhook is None or DEPOSIT_LINK_HOPS not in _hops_to_graph(spans, webhook):
        return None
    return spans


async def _post(client: httpx.AsyncClient, payload: dict[str, Any]) -> None:
    body = encode(payload)
    signature = sign_payload(body, CREDENTIALS.app_secret)
    response = await client.post(
        "/webhooks/whatsapp", content=body, headers={"X-Hub-Signature-256": signature}
    )
    assert response.status_code == 200, response.text


async def _reply_count(fakes: ProviderFakes, count: int) -> None:
    await eventually(lambda: len(fakes.texts(CLIENT.wa_id)) >= count, timeout=30)


async def test_a_booking_is_one_trace_from_the_webhook_to_the_graph_api_and_moves_the_metrics(
    migrated_database: DatabaseFactory,
    nats_url: str,
    tmp_path: Path,
    service_app: ServiceApp,
    exporter: InMemorySpanExporter,
) -> None:
    databases = {name: await migrated_database(path) for name, path in MIGRATIONS.items()}
    processor = SimpleSpanProcessor(exporter)
    with provider_fakes(tmp_path) as fakes:
        apps: list[FastAPI] = []

        def create(name: str, **overrides: Any) -> FastAPI:
            app = service_app(name, databases=databases, fakes=fakes, nats_url=nats_url, **overrides)
            app.state.runtime.tracer_provider.add_span_processor(processor)
            apps.append(app)
            return app

        async with AsyncExitStack() as stack:
            for name in ("payments", "notifier"):
                await stack.enter_async_context(running_service(create(name)))
            await stack.enter_async_context(running_service(create("calendar", hold_sweep_seconds=0.2)))
            conversation = await stack.enter_async_context(running_service(create("conversation")))
            # httpx's CLIENT spans go through the process's global provider: the first service's made.
            global_provider = trace.get_tracer_provider()
            assert isinstance(global_provider, TracerProvider)
            if all(global_provider is not app.state.runtime.tracer_provider for app in apps):
                global_provider.add_span_processor(processor)
            before = await _metrics(conversation)

            now = int(time.time())
            for offset, answer in enumerate(ANSWERS):
                expected = len(fakes.texts(CLIENT.wa_id)) + 1
                message = text_message(
                    CLIENT, answer, message_id=f"wamid.kit{offset}", timestamp=now + offset
                )
                await _post(conversation, message)
                await _reply_count(fakes, expected)
            refused = await conversation.post(
                "/webhooks/whatsapp", content=b"{}", headers={"X-Hub-Signature-256": "sha256=0"}
            )
            summary = await eventually(
                lambda: next((t for t in fakes.texts(CREDENTIALS.artist) if "New lead: Kit" in t), None),
                timeout=30,
            )
            approve = fakes.action_paths(CREDENTIALS.artist, "New lead: Kit")[0]
            assert "*Idea:*" in summary, summary
            assert (await conversation.post(approve)).status_code == 200
            offers = await eventually(
                lambda: [m for m in fakes.graph.messages(to=CLIENT.wa_id) if m.type == "interactive"],
                timeout=30,
            )
            first = offers[0].body["action"]["sections"][0]["rows"][0]
            exporter.clear()
            pick = list_reply_message(CLIENT, first["id"], first["title"], message_id="wamid.kit-pick")
            await _post(conversation, pick)
            spans = await eventually(lambda: _pick_trace(exporter.get_finished_spans()), timeout=30)
            held = await eventually(lambda: _gauge_is(conversation, "inkline_active_holds", 1.0), timeout=15)
            after = await _metrics(conversation)

    webhook = next(s for s in spans if s.kind is SpanKind.SERVER and s.name == WEBHOOK_SPAN)
    in_trace = _assert_linked(spans, webhook)
    assert webhook.parent is None
    assert _service(webhook) == "conversation"
    assert DEPOSIT_LINK_HOPS in _hops_to_graph(in_trace, webhook)
    assert refused.status_code == 401
    assert held
    assert after["messages"] - before["messages"] == len(ANSWERS) + 1
    assert after["rejected"] - before["rejected"] == 1
    assert after["sent"] - before["sent"] >= len(ANSWERS) + 3, "replies, summary, slots and deposit link"
    assert after["holds_handled"] - before["holds_handled"] == 1
