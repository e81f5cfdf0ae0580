"""`python -m inkline_<service> [serve|migrate|downgrade]`: the same entry point for every service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

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
    try:
        settings = settings_factory()
    except ValidationError as error:
        # One readable line per bad setting instead of a traceback (the error carries no values).
        sys.exit(f"inkline-{service} cannot start, its settings are wrong:\n{settings_problems(error)}")
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


def settings_problems(error: ValidationError) -> str:
    """One line per refused setting, named by its environment variable (the error carries no values)."""
    lines = []
    for problem in error.errors(include_input=False):
        variable = "_".join(str(part) for part in problem["loc"]).upper()
        reason = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  {variable}: {reason}" if variable else f"  {reason}")
    return "\n".join(lines)
