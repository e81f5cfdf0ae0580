"""The Grafana dashboard charts every operational metric the services export, under its exported name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

import inkline_platform.metrics  # noqa: F401  (registers the metrics)

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "inkline-dashboard.json"


def test_dashboard_charts_inbound_rate_latency_outbox_lag_dead_letters_holds_sends_and_campaigns() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    queried = {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in re.findall(r"\binkline_[a-z_]+\b", target["expr"])
    }
    expected = {
        "inkline_webhook_messages_total",
        "inkline_webhook_quarantined_total",
        "inkline_handler_seconds_bucket",
        "inkline_outbox_lag_seconds",
        "inkline_dead_letter_depth",
        "inkline_active_holds",
        "inkline_sends_total",
        "inkline_campaign_messages",
    }
    exported = {sample.name for family in REGISTRY.collect() for sample in family.samples} | {
        family.name for family in REGISTRY.collect()
    }
    assert expected <= queried, f"not charted: {sorted(expected - queried)}"
    assert {name.removesuffix("_total").removesuffix("_bucket") for name in expected} <= exported
