"""A running Google sandbox plus a throwaway service account whose token_uri points at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account

from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.server import serve_in_background

SCOPES = [
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/spreadsheets",
]
KEY_ID = "sandbox-key-1"
CLIENT_EMAIL = "inkline-bot@inkline-sandbox.iam.gserviceaccount.com"


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def sandbox(rsa_key: rsa.RSAPrivateKey) -> GoogleSandbox:
    google = GoogleSandbox()
    numbers = rsa_key.public_key().public_numbers()
    google.oauth.register_public_key(KEY_ID, modulus=numbers.n, exponent=numbers.e)
    google.calendar.stall_seconds = 1.5
    return google


@pytest.fixture
def base_url(sandbox: GoogleSandbox) -> Iterator[str]:
    with serve_in_background(sandbox.app()) as url:
        yield url


def _service_account_info(key: rsa.RSAPrivateKey, token_uri: str) -> dict[str, Any]:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "inkline-sandbox",
        "private_key_id": KEY_ID,
        "private_key": pem,
        "client_email": CLIENT_EMAIL,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    }


MakeCredentials = Callable[[rsa.RSAPrivateKey, str], service_account.Credentials]


@pytest.fixture
def make_credentials() -> MakeCredentials:
    """Service-account credentials for ``key`` whose key file says ``token_uri = {base}/token``."""

    def make(key: rsa.RSAPrivateKey, base: str) -> service_account.Credentials:
        info = _service_account_info(key, f"{base}/token")
        return service_account.Credentials.from_service_account_info(info, scopes=SCOPES)

    return make


@pytest.fixture
def credentials(
    rsa_key: rsa.RSAPrivateKey, base_url: str, make_credentials: MakeCredentials
) -> service_account.Credentials:
    return make_credentials(rsa_key, base_url)
