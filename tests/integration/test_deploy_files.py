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
        assert spec["build"]["dockerfile"] == f"services/{service.name}/Dockerfile"
        assert (ROOT / spec["build"]["dockerfile"]).exists()
        assert spec["environment"]["DATABASE_URL"].endswith(f"/inkline_{service.name}")
        assert spec["environment"]["NATS_URL"] == "nats://nats:4222"
        assert f"python -m {service.module} migrate" in spec["command"][-1]
        assert f"CREATE DATABASE inkline_{service.name};" in init_sql
    assert "-js" in compose["services"]["nats"]["command"]


def test_each_dockerfile_builds_and_runs_its_own_service_as_a_non_root_user() -> None:
    for service in SERVICES:
        dockerfile = (ROOT / "services" / service.name / "Dockerfile").read_text()
        assert f"--package inkline-{service.name}" in dockerfile
        assert f'CMD ["python", "-m", "{service.module}", "serve"]' in dockerfile
        assert "USER 10001" in dockerfile
        for other in SERVICES:
            if other is not service:
                assert f"inkline-{other.name}" not in dockerfile
