from __future__ import annotations

from pathlib import Path

import pytest

from inkline_devstack.launcher import base_environment, service_port
from inkline_devstack.services import SERVICES


def test_env_file_reaches_the_services_and_the_real_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "INKLINE_SANDBOX=0\nSTRIPE_API_KEY=sk_live_from_file\nWHATSAPP_GRAPH_URL=http://graph.local/v21.0\n"
    )
    monkeypatch.setenv("STRIPE_API_KEY", "sk_live_from_shell")

    env = base_environment(env_file)

    assert env["INKLINE_SANDBOX"] == "0"
    assert env["WHATSAPP_GRAPH_URL"] == "http://graph.local/v21.0"
    assert env["STRIPE_API_KEY"] == "sk_live_from_shell"


def test_sandbox_is_the_default_when_nothing_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INKLINE_SANDBOX", raising=False)

    assert base_environment(tmp_path / "missing.env")["INKLINE_SANDBOX"] == "1"


def test_service_ports_come_from_explicit_settings_then_the_base_then_the_defaults() -> None:
    conversation, payments = SERVICES[0], SERVICES[1]

    assert service_port(payments, {"INKLINE_PORT_PAYMENTS": "9100"}, 7000) == 9100
    assert service_port(payments, {}, 7000) == 7001
    assert service_port(conversation, {}, None) == 8001
