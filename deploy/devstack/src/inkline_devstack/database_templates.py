"""Fresh databases at a service's head revision, copied from a template migrated once per test session.

Running a service's Alembic scripts costs far more than copying the database they produce (PostgreSQL's
`CREATE DATABASE ... TEMPLATE` copies the files), and a test session asks for hundreds of databases. So the
first request for a migrations folder migrates a template database; every request copies it. The migrations
themselves are still run in full, once per session per service, and tests/integration/test_migrations.py
runs each up, down and up again on its own database.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Callable
from pathlib import Path

from inkline_devstack.postgres_server import create_database

_numbers = itertools.count(1)


def _service_name(migrations_dir: Path) -> str:
    # <service package>/db/migrations: the package names the service in the database's name.
    return migrations_dir.parent.parent.name


class DatabaseTemplates:
    """Migrated template databases of one PostgreSQL server, one per migrations folder, made on first use."""

    def __init__(self, admin_dsn: str, database_url: Callable[[str], str]) -> None:
        self._admin_dsn = admin_dsn
        self._database_url = database_url
        self._templates: dict[Path, str] = {}
        # A threading lock, not an asyncio one: the template is made in a worker thread (Alembic's env.py
        # calls asyncio.run), and the lock must hold whichever event loop the asking test runs in.
        self._lock = threading.Lock()

    async def new_database(self, migrations_dir: Path) -> str:
        """URL of a new database at the head revision of `migrations_dir`, as if migrated on its own."""
        template = await asyncio.to_thread(self._template_for, migrations_dir)
        name = f"t{os.getpid()}_{next(_numbers)}_{_service_name(migrations_dir)}"
        import asyncpg

        connection = await asyncpg.connect(self._admin_dsn)
        try:
            await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            await connection.close()
        return self._database_url(name)

    def _template_for(self, migrations_dir: Path) -> str:
        migrations_dir = migrations_dir.resolve()
        with self._lock:
            template = self._templates.get(migrations_dir)
            if template is None:
                template = self._migrate_template(migrations_dir)
                self._templates[migrations_dir] = template
            return template

    def _migrate_template(self, migrations_dir: Path) -> str:
        from inkline_platform.migrations import upgrade

        name = f"tpl{os.getpid()}_{next(_numbers)}_{_service_name(migrations_dir)}"
        asyncio.run(create_database(self._admin_dsn, name))
        upgrade(migrations_dir, self._database_url(name))
        # Copying needs the template to have no connection open: refuse any from now on, so a stray one can
        # never make a later CREATE DATABASE fail with "source database is being accessed by other users".
        asyncio.run(self._refuse_connections(name))
        return name

    async def _refuse_connections(self, name: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(self._admin_dsn)
        try:
            await connection.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        finally:
            await connection.close()
