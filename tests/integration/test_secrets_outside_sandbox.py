"""Every service, outside the sandbox, refuses to start on an empty secret, and on a short one it chose itself."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.settings import ConversationSettings
from inkline_notifier.settings import NotifierSettings
from inkline_payments.settings import PaymentsSettings
from inkline_platform.settings import MIN_SECRET_LENGTH, ServiceSettings

OURS = "o" * MIN_SECRET_LENGTH  # a secret we choose: HMAC key or token
PROVIDERS = "EAAG-short"  # a provider's credential, in the provider's own format

# Per service: a complete real-provider configuration, and which of its secrets we choose ourselves.
SERVICES: list[tuple[type[ServiceSettings], dict[str, Any], set[str]]] = [
    (
        ConversationSettings,
        {
            "whatsapp_app_secret": OURS,
            "whatsapp_verify_token": OURS,
            "media_link_secret": OURS,
            "conversation_admin_token": OURS,
            "whatsapp_access_token": PROVIDERS,
        },
        {"whatsapp_app_secret", "whatsapp_verify_token", "media_link_secret", "conversation_admin_token"},
    ),
    (
        PaymentsSettings,
        {"stripe_api_key": "sk_live_1", "stripe_webhook_secret": "whsec_1", "payments_admin_token": OURS},
        {"payments_admin_token"},
    ),
    (
        CalendarSettings,
        {"calendar_admin_token": OURS, "google_service_account_file": "/secrets/google.json"},
        {"calendar_admin_token"},
    ),
    (CampaignsSettings, {"campaigns_admin_token": OURS}, {"campaigns_admin_token"}),
    (NotifierSettings, {"whatsapp_access_token": PROVIDERS}, set()),
]
SECRETS = [
    pytest.param(settings, real, name, id=f"{settings.__name__}-{name}")
    for settings, real, _ in SERVICES
    for name in real
    if name != "google_service_account_file"
]
OWN_SECRETS = [
    pytest.param(settings, real, name, id=f"{settings.__name__}-{name}")
    for settings, real, ours in SERVICES
    for name in sorted(ours)  # a set: sorted, so that every pytest-xdist worker collects one order
]


@pytest.mark.parametrize(
    ("settings", "real", "ours"), SERVICES, ids=lambda value: getattr(value, "__name__", "")
)
def test_a_complete_real_configuration_starts(
    settings: type[ServiceSettings], real: dict[str, Any], ours: set[str]
) -> None:
    assert settings(inkline_sandbox=False, **real).inkline_sandbox is False


@pytest.mark.parametrize(("settings", "real", "name"), SECRETS)
def test_an_empty_secret_outside_the_sandbox_stops_the_service_naming_it(
    settings: type[ServiceSettings], real: dict[str, Any], name: str
) -> None:
    with pytest.raises(ValidationError, match=f"{name.upper()} is not set"):
        settings(inkline_sandbox=False, **(real | {name: ""}))


@pytest.mark.parametrize(("settings", "real", "name"), OWN_SECRETS)
def test_a_secret_we_choose_shorter_than_32_characters_stops_the_service_naming_it(
    settings: type[ServiceSettings], real: dict[str, Any], name: str
) -> None:
    with pytest.raises(
        ValidationError, match=f"{name.upper()} is shorter than {MIN_SECRET_LENGTH} characters"
    ):
        settings(inkline_sandbox=False, **(real | {name: "x" * (MIN_SECRET_LENGTH - 1)}))
