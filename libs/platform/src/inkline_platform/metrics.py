"""Prometheus metrics shared by every service (one process = one service, so module-level is right)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES_CONSUMED = Counter(
    "inkline_messages_consumed_total",
    "Messages taken from JetStream by outcome",
    ["service", "consumer", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "inkline_handler_seconds", "Time spent handling one message", ["service", "consumer"]
)
OUTBOX_PUBLISHED = Counter(
    "inkline_outbox_published_total", "Outbox rows published to JetStream", ["service"]
)
OUTBOX_PENDING = Gauge("inkline_outbox_pending", "Outbox rows not yet published", ["service"])
DEAD_LETTERED = Counter("inkline_dead_lettered_total", "Messages given up on", ["service", "consumer"])
