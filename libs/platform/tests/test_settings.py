from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values


class ExampleSettings(ServiceSettings):
    api_key: SecretStr = SecretStr("sandbox-key")
    base_url: str = "sandbox-url"

    @model_validator(mode="after")
    def _real_values(self) -> ExampleSettings:
        refuse_sandbox_values(self, {"api_key": "sandbox-key", "base_url": "sandbox-url"})
        return self


def test_sandbox_defaults_are_fine_inside_the_sandbox() -> None:
    assert ExampleSettings(inkline_sandbox=True).api_key.get_secret_value() == "sandbox-key"


def test_leaving_the_sandbox_without_real_secrets_names_every_missing_variable() -> None:
    with pytest.raises(ValidationError, match="INKLINE_SANDBOX=0 needs API_KEY, BASE_URL"):
        ExampleSettings(inkline_sandbox=False)


def test_real_values_outside_the_sandbox_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INKLINE_SANDBOX", "0")
    monkeypatch.setenv("API_KEY", "sk_live_123")
    monkeypatch.setenv("BASE_URL", "https://api.example.com")

    settings = ExampleSettings()

    assert settings.api_key.get_secret_value() == "sk_live_123"
    assert settings.inkline_sandbox is False


@pytest.mark.parametrize(
    "given",
    [
        "postgresql://app:s3cr%40t@db.internal:5432/inkline_calendar",
        "postgres://app:s3cr%40t@db.internal:5432/inkline_calendar",
        "postgresql+asyncpg://app:s3cr%40t@db.internal:5432/inkline_calendar",
    ],
)
def test_a_plain_postgresql_url_is_used_through_asyncpg_with_its_password_intact(given: str) -> None:
    settings = ServiceSettings(database_url=given)

    assert settings.database_url == "postgresql+asyncpg://app:s3cr%40t@db.internal:5432/inkline_calendar"


def test_a_database_url_for_another_driver_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="PostgreSQL through asyncpg, not mysql"):
        ServiceSettings(database_url="mysql://app@db/inkline")
