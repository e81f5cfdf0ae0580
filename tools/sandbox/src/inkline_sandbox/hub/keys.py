"""The service-account key file the hub hands to calendar and notifier, signed in against the hub itself.

A fresh RSA key per start: google-auth signs its token request with the private key, and the hub's OAuth
fake verifies that signature with the public half, so the real credential flow runs end to end.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from inkline_sandbox.google.oauth import OAuthState


def trust_service_account(path: Path, *, oauth: OAuthState) -> None:
    """Trust a key file made elsewhere: a deployment mounts the same file in the hub, calendar and notifier
    (the hub cannot write into their pods), with `token_uri` already naming the hub's token endpoint."""
    document = json.loads(path.read_text())
    key = serialization.load_pem_private_key(document["private_key"].encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path}: a service-account key is RSA")
    numbers = key.public_key().public_numbers()
    oauth.register_public_key(document["private_key_id"], modulus=numbers.n, exponent=numbers.e)


def write_service_account(path: Path, *, token_uri: str, oauth: OAuthState) -> None:
    """Write a key file whose `token_uri` is the hub's token endpoint, and trust its key there."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_id = secrets.token_hex(20)
    numbers = key.public_key().public_numbers()
    oauth.register_public_key(key_id, modulus=numbers.n, exponent=numbers.e)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    document = {
        "type": "service_account",
        "project_id": "inkline-sandbox",
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": "inkline@inkline-sandbox.iam.gserviceaccount.com",
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole, then renamed: a service starting at that moment never reads half a key.
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(document, indent=2))
    os.chmod(partial, 0o600)
    partial.replace(path)
