"""The token endpoint through google-auth's real service-account flow."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import exceptions
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.server import serve_in_background

MakeCredentials = Callable[[rsa.RSAPrivateKey, str], service_account.Credentials]
CLIENT_EMAIL = "inkline-bot@inkline-sandbox.iam.gserviceaccount.com"


def test_service_account_credentials_get_a_bearer_token_from_the_fake_token_uri(
    credentials: service_account.Credentials, sandbox: GoogleSandbox
) -> None:
    credentials.refresh(Request())

    assert credentials.token is not None
    assert credentials.token.startswith("ya29.")
    assert credentials.expiry is not None
    [grant] = sandbox.oauth.grants
    assert grant.access_token == credentials.token
    assert grant.issuer == CLIENT_EMAIL
    assert grant.scopes == (
        "https://www.googleapis.com/auth/calendar",
        "https://www.googleapis.com/auth/spreadsheets",
    )


def test_an_assertion_signed_by_an_unregistered_key_is_refused_as_invalid_grant(
    base_url: str, make_credentials: MakeCredentials
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    credentials = make_credentials(stranger, base_url)

    with pytest.raises(exceptions.RefreshError, match=r"invalid_grant: Invalid JWT Signature\."):
        credentials.refresh(Request())


def test_any_well_formed_assertion_is_accepted_when_no_keys_are_registered(
    rsa_key: rsa.RSAPrivateKey, make_credentials: MakeCredentials
) -> None:
    open_sandbox = GoogleSandbox()
    with serve_in_background(open_sandbox.app()) as url:
        make_credentials(rsa_key, url).refresh(Request())

    assert [g.issuer for g in open_sandbox.oauth.grants] == [CLIENT_EMAIL]


def test_the_token_endpoint_refuses_other_grant_types_like_google(base_url: str) -> None:
    response = httpx.post(f"{base_url}/token", data={"grant_type": "client_credentials"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": "Invalid grant_type: client_credentials",
    }


def test_a_self_signed_jwt_is_accepted_as_a_bearer_token(
    credentials: service_account.Credentials, base_url: str
) -> None:
    # build(..., always_use_jwt_access=True) makes google-auth skip the token endpoint and sign its own JWT.
    jwt_credentials = credentials.with_always_use_jwt_access(True)
    jwt_credentials._create_self_signed_jwt("https://www.googleapis.com/calendar/v3/")
    jwt_credentials.refresh(Request())

    response = httpx.post(
        f"{base_url}/calendar/v3/freeBusy",
        headers={"Authorization": f"Bearer {jwt_credentials.token}"},
        json={"timeMin": "2030-01-01T00:00:00Z", "timeMax": "2030-01-02T00:00:00Z", "items": []},
    )

    assert response.status_code == 200
    assert response.json()["calendars"] == {}
