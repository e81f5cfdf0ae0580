"""The settings every service shares; each service subclasses with its own fields."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ServiceSettings(BaseSettings):
    """Read from the environment (and a `.env` file); names are the upper-cased field names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/inkline"
    database_pool_size: int = Field(
        default=20, ge=1, description="connections each replica keeps open to its database"
    )
    database_max_overflow: int = Field(
        default=10, ge=0, description="extra connections a burst may open (closed again after use)"
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    inkline_sandbox: bool = Field(
        default=True, description="1: providers are local sandboxes, no credentials"
    )
    log_level: str = "INFO"
    log_json: bool = True

    outbox_batch_size: int = Field(default=200, ge=1)
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    consumer_max_deliver: int = Field(
        default=5, ge=1, description="attempts before a message is dead-lettered"
    )
    consumer_backoff_seconds: list[float] = Field(default=[1.0, 5.0, 30.0, 120.0])
    consumer_ack_wait_seconds: float = Field(default=60.0, gt=0)
    stream_replicas: int = Field(default=1, ge=1, le=5)

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, value: str) -> str:
        """A plain `postgresql://` URL (what CloudNativePG's `uri`, Heroku or `psql` give) means asyncpg."""
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("DATABASE_URL is not a database URL, e.g. postgresql://user@host/db") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+asyncpg")
        if url.drivername != "postgresql+asyncpg":
            raise ValueError(f"DATABASE_URL must be PostgreSQL through asyncpg, not {url.drivername}")
        return url.render_as_string(hide_password=False)


def refuse_sandbox_values(settings: ServiceSettings, sandbox_values: Mapping[str, str]) -> None:
    """Outside the sandbox, a setting still at its sandbox default is a deployment mistake: fail at start-up."""
    if settings.inkline_sandbox:
        return
    unset = []
    for name, sandbox_value in sandbox_values.items():
        value = getattr(settings, name)
        if (value.get_secret_value() if isinstance(value, SecretStr) else value) == sandbox_value:
            unset.append(name.upper())
    if unset:
        raise ValueError(f"INKLINE_SANDBOX=0 needs {', '.join(unset)}")
