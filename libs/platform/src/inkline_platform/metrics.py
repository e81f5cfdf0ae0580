"""Prometheus metrics shared by every service (one process = one service, so module-level is right).

Service-specific ones (active holds, sends by status, campaign progress) are declared here too, so the
Grafana dashboard (deploy/grafana/inkline-dashboard.json) has one list of names to follow.
"""

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
OUTBOX_LAG_SECONDS = Gauge(
    "inkline_outbox_lag_seconds",
    "Age of the oldest unpublished outbox row when the relay last looked (0 when none is pending)",
    ["service"],
)
DEAD_LETTERED = Counter("inkline_dead_lettered_total", "Messages given up on", ["service", "consumer"])
DEAD_LETTER_DEPTH = Gauge(
    "inkline_dead_letter_depth", "Messages of this service kept in the dead-letter stream", ["service"]
)
WEBHOOK_MESSAGES = Counter(
    "inkline_webhook_messages_total",
    "Inbound webhook items by kind (message, status, rejected)",
    ["service", "kind"],
)
WEBHOOK_QUARANTINED = Counter(
    "inkline_webhook_quarantined_total",
    "Webhook items set aside because they could not be handled (every delivery counts), by reason",
    ["service", "reason"],
)
ACTIVE_HOLDS = Gauge("inkline_active_holds", "Slots held for a deposit and not yet expired")
SENDS = Counter(
    "inkline_sends_total", "Outbound WhatsApp messages by status (sent, delivered, read, failed)", ["status"]
)
CAMPAIGN_MESSAGES = Gauge(
    "inkline_campaign_messages",
    "Recipients of each running campaign by state (queued, sent, ...)",
    ["campaign", "state"],
)
