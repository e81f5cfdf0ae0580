"""One stand-in path: a service always runs its real adapters, and in the sandbox they talk to the hub.

So a service started with `INKLINE_SANDBOX=1` but without the hub's provider settings has nothing to talk
to: it refuses to start, naming what is missing, rather than sending the sandbox's published credentials
to Meta, Stripe or Google. `make up` and the tests give it the hub's (`provider_environment`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from inkline_calendar.settings import CalendarSettings
from inkline_conversation.settings import ConversationSettings
from inkline_notifier.settings import NotifierSettings
from inkline_payments.settings import PaymentsSettings
from inkline_platform.settings import ServiceSettings
from inkline_sandbox.hub import HubConfig, provider_environment

HUB_URL = "http://127.0.0.1:8000"
# Per service with a provider: the settings the sandbox needs, as the refusal names them.
NEEDS: list[tuple[str, type[ServiceSettings], list[str]]] = [
    ("conversation", ConversationSettings, ["WHATSAPP_GRAPH_URL"]),
    ("payments", PaymentsSettings, ["STRIPE_API_BASE"]),
    ("calendar", CalendarSettings, ["GOOGLE_API_ENDPOINT", "GOOGLE_SERVICE_ACCOUNT_FILE"]),
    ("notifier", NotifierSettings, ["WHATSAPP_GRAPH_URL"]),
]
PROVIDER_SETTINGS = {
    *provider_environment(HUB_URL, HubConfig(conversation_url="", payments_url="", data_dir=Path("."))),
}


@pytest.fixture
def bare_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """INKLINE_SANDBOX=1 and no provider setting anywhere (the environment, a `.env`)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INKLINE_SANDBOX", "1")
    for name in PROVIDER_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.mark.parametrize(("service", "settings", "missing"), NEEDS, ids=[need[0] for need in NEEDS])
@pytest.mark.usefixtures("bare_sandbox")
def test_a_sandbox_service_without_the_hubs_provider_settings_refuses_naming_them(
    service: str, settings: type[ServiceSettings], missing: list[str]
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings()

    assert f"INKLINE_SANDBOX=1 needs {', '.join(missing)} pointing at the sandbox hub" in str(refused.value)


@pytest.mark.usefixtures("bare_sandbox")
def test_a_sandbox_notifier_keeping_a_sheet_also_needs_the_hubs_google() -> None:
    with pytest.raises(ValidationError) as refused:
        NotifierSettings(whatsapp_graph_url=f"{HUB_URL}/graph/v21.0", sheets_spreadsheet_id="leads")

    assert "needs GOOGLE_API_ENDPOINT, GOOGLE_SERVICE_ACCOUNT_FILE pointing at the sandbox hub" in str(
        refused.value
    )


@pytest.mark.parametrize(("service", "settings", "missing"), NEEDS, ids=[need[0] for need in NEEDS])
def test_a_sandbox_service_given_the_hubs_provider_settings_starts(
    service: str,
    settings: type[ServiceSettings],
    missing: list[str],
    bare_sandbox: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = HubConfig(conversation_url="", payments_url="", data_dir=bare_sandbox)
    for name, value in provider_environment(HUB_URL, config).items():
        monkeypatch.setenv(name, value)

    assert settings().inkline_sandbox is True


@pytest.mark.parametrize(("service", "settings", "missing"), NEEDS, ids=[need[0] for need in NEEDS])
def test_the_service_process_stops_at_start_up_with_one_line_saying_what_to_set(
    service: str, settings: type[ServiceSettings], missing: list[str], tmp_path: Path
) -> None:
    env = {name: value for name, value in os.environ.items() if name not in PROVIDER_SETTINGS}
    # Nothing to reach: were the settings accepted, the service would fail later, and differently.
    env |= {
        "INKLINE_SANDBOX": "1",
        "NATS_URL": "nats://127.0.0.1:9",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
    }

    started = subprocess.run(
        [sys.executable, "-m", f"inkline_{service}", "serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert started.returncode == 1
    problems = started.stderr.splitlines()[1:]
    assert problems == [
        f"  INKLINE_SANDBOX=1 needs {', '.join(missing)} pointing at the sandbox hub "
        "(`make up` starts it and sets them)"
    ]
