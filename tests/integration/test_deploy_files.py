"""docker-compose.yml and the Dockerfiles cannot run on machines without Docker; they are kept correct by reading."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

from inkline_devstack.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
# The services with a provider: in the sandbox they talk to the hub.
PROVIDER_SERVICES = ("conversation", "payments", "calendar", "notifier")


def test_compose_runs_every_service_against_its_own_database_and_the_shared_nats() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    init_sql = (ROOT / "deploy" / "postgres" / "init.sql").read_text()

    for service in SERVICES:
        spec = compose["services"][service.name]
        assert spec["build"] == {"context": ".", "args": {"SERVICE": service.name}}
        assert (ROOT / "services" / service.name / "pyproject.toml").exists()  # what SERVICE names
        assert spec["environment"]["DATABASE_URL"].endswith(f"/inkline_{service.name}")
        assert spec["environment"]["NATS_URL"] == "nats://nats:4222"
        assert f"python -m {service.module} migrate" in spec["command"][-1]
        assert f"CREATE DATABASE inkline_{service.name};" in init_sql
    assert "-js" in compose["services"]["nats"]["command"]


def test_one_dockerfile_builds_the_service_named_by_its_build_argument_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert not list(ROOT.glob("services/*/Dockerfile")), "one recipe for every service, at the root"
    assert '--package "inkline-$SERVICE"' in dockerfile
    assert "ENV INKLINE_SERVICE_MODULE=inkline_${SERVICE}" in dockerfile
    assert 'CMD ["sh", "-c", "exec python -m \\"$INKLINE_SERVICE_MODULE\\" serve"]' in dockerfile
    assert "USER 10001" in dockerfile
    for service in SERVICES:
        assert service.module == f"inkline_{service.name}"  # the image's CMD derives one from the other


def test_the_image_is_built_from_sources_never_from_the_local_virtualenv_or_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".venv", ".data", ".git"):
        assert path in ignored


def test_compose_runs_the_sandbox_hub_and_points_every_provider_setting_of_the_services_at_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The services have no stand-ins of their own: what the sandbox needs comes from compose, and it is
    what the settings ask for, reaching the hub under its compose name with the key it trusts."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    hub = compose["services"]["hub"]
    key = json.loads((ROOT / "deploy" / "sandbox" / "service-account.json").read_text())
    hub_args = dict(arg.removeprefix("--").split("=", 1) for arg in hub["command"][3:])

    assert hub["build"] == {"context": ".", "args": {"SERVICE": "sandbox"}}
    assert (ROOT / "tools" / "sandbox" / "pyproject.toml").exists()  # what SERVICE names
    assert key["token_uri"] == "http://hub:8000/google/token"
    assert hub_args["service-account-file"] + ":ro" == hub["volumes"][0].split(":", 1)[1]
    monkeypatch.chdir(ROOT / "deploy")  # no developer's .env
    for name in PROVIDER_SERVICES:
        spec = compose["services"][name]
        environment = {
            variable: re.sub(r"\$\{[A-Z_]+:-(.*)\}", r"\1", str(value))
            for variable, value in spec["environment"].items()
        }
        for variable, value in environment.items():
            monkeypatch.setenv(variable, value)
        settings = importlib.import_module(f"inkline_{name}.settings")
        settings_class = next(
            value
            for attribute, value in vars(settings).items()
            if attribute.endswith("Settings") and attribute != "ServiceSettings"
        )

        assert settings_class().inkline_sandbox is True, name
        assert all(
            value.startswith("http://hub:8000/")
            for variable, value in environment.items()
            if variable.endswith(("_URL", "_BASE", "_ENDPOINT"))
            and variable not in ("NATS_URL", "DATABASE_URL")
        ), name
        if "GOOGLE_SERVICE_ACCOUNT_FILE" in environment:
            assert spec["volumes"] == hub["volumes"], name
        for variable in environment:
            monkeypatch.delenv(variable)
