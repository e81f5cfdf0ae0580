from __future__ import annotations

from pathlib import Path

import pytest

from inkline_devstack.hub_process import hub_environment
from inkline_devstack.launcher import base_environment, hub_port, service_port
from inkline_devstack.services import SERVICES


def test_env_file_reaches_the_services_and_the_real_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "INKLINE_SANDBOX=0\nSTRIPE_API_KEY=sk_live_from_file\nWHATSAPP_GRAPH_URL=http://graph.local/v21.0\n"
    )
    monkeypatch.delenv("INKLINE_SANDBOX", raising=False)  # the test run itself sets it
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


def test_services_are_pointed_at_the_hub_unless_the_environment_names_a_provider(tmp_path: Path) -> None:
    env = {"STRIPE_API_BASE": "https://stripe.internal.example"}

    providers = hub_environment(env, hub_url="http://127.0.0.1:8000", data_dir=tmp_path / "hub")

    assert providers == {
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:8000/graph/v21.0",
        "STRIPE_API_BASE": "https://stripe.internal.example",
        "GOOGLE_API_ENDPOINT": "http://127.0.0.1:8000/google",
        "GOOGLE_SERVICE_ACCOUNT_FILE": str(tmp_path / "hub" / "service-account.json"),
        "SHEETS_SPREADSHEET_ID": "inkline-sandbox-leads",
        "WHATSAPP_DISPLAY_PHONE_NUMBER": "15550001234",
    }


def test_hub_port_comes_from_its_setting_then_after_the_services_then_8000() -> None:
    assert hub_port({"INKLINE_HUB_PORT": "9200"}, 7000) == 9200
    assert hub_port({}, 7000) == 7006
    assert hub_port({}, None) == 8000
