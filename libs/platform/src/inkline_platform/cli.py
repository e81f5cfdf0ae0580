"""`python -m inkline_<service> [serve|migrate|downgrade]`: the same entry point for every service."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from inkline_platform import migrations
from inkline_platform.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def main(
    *,
    service: str,
    settings_factory: Callable[[], S],
    app_factory: Callable[[S], FastAPI],
    migrations_dir: Path,
    argv: list[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"inkline-{service}", description=f"Inkline {service} service")
    parser.add_argument("command", choices=["serve", "migrate", "downgrade"], nargs="?", default="serve")
    parser.add_argument("--revision", default=None, help="migration target (default: head / base)")
    args = parser.parse_args(argv)
    settings = settings_factory()
    if args.command == "migrate":
        migrations.upgrade(migrations_dir, settings.database_url, args.revision or "head")
    elif args.command == "downgrade":
        migrations.downgrade(migrations_dir, settings.database_url, args.revision or "base")
    else:
        uvicorn.run(
            app_factory(settings),
            host=settings.http_host,
            port=settings.http_port,
            # Our logging path, not uvicorn's own formatters: its lines are masked and redacted like ours,
            # and its access lines show from LOG_LEVEL=DEBUG (see inkline_platform.logging).
            log_config=None,
            access_log=True,
            timeout_graceful_shutdown=10,
        )
