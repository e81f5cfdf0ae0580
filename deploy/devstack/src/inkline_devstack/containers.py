"""testcontainers, when a Docker engine answers; otherwise the fixtures start the same servers from wheels."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class Endpoints:
    nats_url: str
    postgres_admin_dsn: str
    postgres_host_port: str


@contextlib.contextmanager
def containers() -> Iterator[Endpoints]:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs
    from testcontainers.postgres import PostgresContainer

    nats = DockerContainer("nats:2.11").with_command("-js").with_exposed_ports(4222)
    postgres = PostgresContainer("postgres:17", username="postgres", password="postgres", dbname="postgres")  # noqa: S106 - throwaway container
    with nats, postgres:
        wait_for_logs(nats, "Server is ready")
        host_port = f"{postgres.get_container_host_ip()}:{postgres.get_exposed_port(5432)}"
        yield Endpoints(
            nats_url=f"nats://{nats.get_container_host_ip()}:{nats.get_exposed_port(4222)}",
            postgres_admin_dsn=f"postgresql://postgres:postgres@{host_port}/postgres",
            postgres_host_port=host_port,
        )
