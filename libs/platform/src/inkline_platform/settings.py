"""The settings every service shares; each service subclasses with its own fields."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ServiceSettings(BaseSettings):
    """Read from the environment (and a `.env` file); names are the upper-cased field names."""

    # hide_input_in_errors: a refused setting's error would otherwise print every value read, secrets too.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

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
        default=False,
        description="1: providers are the sandbox hub's fakes (provider URLs must point at it), sandbox "
        "credentials accepted; 0 (a deployment that says nothing): real providers, so every secret must be set",
    )
    log_level: str = "INFO"
    log_json: bool = True

    outbox_batch_size: int = Field(default=200, ge=1)
    # Only the safety net: commits wake the relay at once, on every replica (outbox_wakeup).
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
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


# Secrets we choose ourselves (HMAC keys, tokens) are at least this long outside the sandbox: 32 random
# characters are out of reach of guessing. Meta's app secret is 32 hex digits, so it meets it too.
MIN_SECRET_LENGTH = 32


def refuse_sandbox_values(
    settings: ServiceSettings,
    sandbox_values: Mapping[str, str],
    *,
    strong: Collection[str] = (),
    required: Collection[str] = (),
) -> None:
    """Outside the sandbox, refuse to start on a deployment mistake, naming every setting at fault at once.

    Each of `sandbox_values` must be set, not blank and not its published sandbox value; those also in
    `strong` must be at least MIN_SECRET_LENGTH characters; each of `required` must be set. The error says
    what is wrong with each, never the value.
    """
    if settings.inkline_sandbox:
        return
    problems = []
    for name in [*sandbox_values, *required]:
        value = getattr(settings, name)
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value or "")
        variable = name.upper()
        if not text.strip():
            problems.append(f"{variable} is not set")
        elif text == sandbox_values.get(name):
            problems.append(f"{variable} is still the sandbox's published value")
        elif name in strong and len(text) < MIN_SECRET_LENGTH:
            problems.append(f"{variable} is shorter than {MIN_SECRET_LENGTH} characters")
    if problems:
        listed = "".join(f"\n  - {problem}" for problem in problems)
        raise ValueError(f"INKLINE_SANDBOX=0 (1 runs the local stand-ins) needs real values:{listed}")


def require_hub_settings(settings: ServiceSettings, names: Collection[str]) -> None:
    """In the sandbox, refuse to start unless each of `names` (provider URLs, key files) was given.

    A service has no stand-ins of its own: it always runs its real adapters, and in the sandbox they talk to
    the sandbox hub (`tools/sandbox`), which `make up` and the tests start and point the services at. Left at
    its default, a provider URL would send the sandbox's published credentials to the real provider.
    """
    if not settings.inkline_sandbox:
        return
    missing = [
        name.upper() for name in names if name not in settings.model_fields_set or not getattr(settings, name)
    ]
    if missing:
        raise ValueError(
            f"INKLINE_SANDBOX=1 needs {', '.join(missing)} pointing at the sandbox hub "
            "(`make up` starts it and sets them)"
        )
