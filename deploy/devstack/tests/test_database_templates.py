from __future__ import annotations

import asyncpg
from alembic.script import ScriptDirectory

from inkline_calendar.db import MIGRATIONS_DIR
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.migrations import alembic_config


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def test_databases_copied_from_the_template_are_at_head_and_share_nothing(
    migrated_database: DatabaseFactory,
) -> None:
    first, second = await migrated_database(MIGRATIONS_DIR), await migrated_database(MIGRATIONS_DIR)
    head = ScriptDirectory.from_config(alembic_config(MIGRATIONS_DIR, first)).get_current_head()

    one, other = await asyncpg.connect(_dsn(first)), await asyncpg.connect(_dsn(second))
    try:
        await one.execute("CREATE TABLE written_by_the_first_test (id int)")

        assert first != second
        assert await one.fetchval("SELECT version_num FROM alembic_version") == head
        assert await other.fetchval("SELECT version_num FROM alembic_version") == head
        assert await other.fetchval("SELECT to_regclass('written_by_the_first_test')") is None
    finally:
        await one.close()
        await other.close()
