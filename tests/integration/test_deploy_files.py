"""docker-compose.yml and the Dockerfiles cannot run on machines without Docker; they are kept correct by reading."""

from __future__ import annotations

from pathlib import Path

import yaml

from inkline_devstack.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]


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
