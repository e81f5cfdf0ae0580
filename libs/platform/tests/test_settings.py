from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError, model_validator

from inkline_platform.cli import settings_problems
from inkline_platform.settings import MIN_SECRET_LENGTH, ServiceSettings, refuse_sandbox_values


class ExampleSettings(ServiceSettings):
    api_key: SecretStr = SecretStr("sandbox-key")
    base_url: str = "sandbox-url"

    @model_validator(mode="after")
    def _real_values(self) -> ExampleSettings:
        refuse_sandbox_values(self, {"api_key": "sandbox-key", "base_url": "sandbox-url"})
        return self


class OwnSecretsSettings(ServiceSettings):
    """Secrets we choose ourselves (`strong`), a provider's token, and a plain setting production must give."""

    link_secret: SecretStr = SecretStr("sandbox-link-secret")
    admin_token: SecretStr = SecretStr("sandbox-admin-token")
    provider_token: SecretStr = SecretStr("sandbox-provider-token")
    key_file: str | None = None

    @model_validator(mode="after")
    def _real_values(self) -> OwnSecretsSettings:
        refuse_sandbox_values(
            self,
            {
                "link_secret": "sandbox-link-secret",
                "admin_token": "sandbox-admin-token",
                "provider_token": "sandbox-provider-token",
            },
            strong={"link_secret", "admin_token"},
            required={"key_file"},
        )
        return self


STRONG = "k" * MIN_SECRET_LENGTH


def test_sandbox_defaults_are_fine_inside_the_sandbox() -> None:
    assert ExampleSettings(inkline_sandbox=True).api_key.get_secret_value() == "sandbox-key"


def test_leaving_the_sandbox_without_real_secrets_names_every_missing_variable() -> None:
    with pytest.raises(ValidationError) as refused:
        ExampleSettings(inkline_sandbox=False)

    assert "API_KEY is still the sandbox's published value" in str(refused.value)
    assert "BASE_URL is still the sandbox's published value" in str(refused.value)


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


def test_the_services_leave_the_sandbox_when_the_deployment_does_not_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INKLINE_SANDBOX", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no developer's .env

    assert ServiceSettings().inkline_sandbox is False
    with pytest.raises(ValidationError, match="API_KEY"):
        ExampleSettings()


def test_empty_and_short_secrets_outside_the_sandbox_are_each_refused_by_name() -> None:
    with pytest.raises(ValidationError) as refused:
        OwnSecretsSettings(
            inkline_sandbox=False,
            link_secret="",
            admin_token="k" * (MIN_SECRET_LENGTH - 1),
            provider_token=" ",
        )

    message = str(refused.value)
    assert "LINK_SECRET is not set" in message
    assert f"ADMIN_TOKEN is shorter than {MIN_SECRET_LENGTH} characters" in message
    assert "PROVIDER_TOKEN is not set" in message
    assert "KEY_FILE is not set" in message


def test_a_provider_token_has_no_minimum_length_but_our_own_secrets_do() -> None:
    settings = OwnSecretsSettings(
        inkline_sandbox=False,
        link_secret=STRONG,
        admin_token=STRONG,
        provider_token="EAAG1",
        key_file="/k.json",
    )

    assert settings.provider_token.get_secret_value() == "EAAG1"


def test_empty_secrets_are_allowed_inside_the_sandbox() -> None:
    assert OwnSecretsSettings(inkline_sandbox=True, link_secret="").link_secret.get_secret_value() == ""


def test_a_refused_setting_is_reported_without_any_value_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)
    monkeypatch.setenv("INKLINE_SANDBOX", "0")
    monkeypatch.setenv("LINK_SECRET", "too-short-but-secret")
    monkeypatch.setenv("ADMIN_TOKEN", STRONG)

    with pytest.raises(ValidationError) as refused:
        OwnSecretsSettings()

    assert "too-short-but-secret" not in str(refused.value)
    assert STRONG not in str(refused.value)
    assert settings_problems(refused.value).splitlines() == [
        "  INKLINE_SANDBOX=0 (1 runs the local stand-ins) needs real values:",
        f"  - LINK_SECRET is shorter than {MIN_SECRET_LENGTH} characters",
        "  - PROVIDER_TOKEN is still the sandbox's published value",
        "  - KEY_FILE is not set",
    ]
