"""The six services as the launcher and the tests address them (by module name: no service is imported
until it is needed, and the dev stack never depends on a service's code)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    default_port: int

    @property
    def module(self) -> str:
        return f"inkline_{self.name}"

    @property
    def migrations_dir(self) -> Path:
        migrations: Path = importlib.import_module(f"{self.module}.db").MIGRATIONS_DIR
        return migrations


SERVICES = (
    ServiceInfo("conversation", 8001),
    ServiceInfo("payments", 8002),
    ServiceInfo("calendar", 8003),
    ServiceInfo("campaigns", 8004),
    ServiceInfo("notifier", 8005),
    ServiceInfo("studio", 8006),
)
