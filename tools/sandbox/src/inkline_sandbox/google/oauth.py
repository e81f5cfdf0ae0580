"""Google's OAuth2 token endpoint for service accounts, and the bearer check the fake APIs share.

google-auth posts ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>`` to the
service-account JSON's ``token_uri`` (google/oauth2/_client.py ``jwt_grant``), so a key file whose
``token_uri`` points here drives the real credential flow. RS256 is checked in pure Python (RSASSA-PKCS1-v1_5
with SHA-256) because the sandbox must not depend on ``cryptography``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# DER prefix of DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
# Google refuses assertions that live longer than an hour; google-auth always asks for exactly 3600 s.
_MAX_ASSERTION_LIFETIME = 3600
_SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values in the JWT claim."
)


@dataclass(frozen=True)
class RsaPublicKey:
    modulus: int
    exponent: int = 65537


@dataclass(frozen=True)
class TokenGrant:
    """One access token handed out, with the claims of the assertion that earned it."""

    access_token: str
    issuer: str
    scopes: tuple[str, ...]
    subject: str | None
    expires_at: float


class InvalidAssertionError(Exception):
    """The JWT was malformed, badly signed or expired; the message is Google's ``error_description``."""


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def rs256_verify(signing_input: bytes, signature: bytes, key: RsaPublicKey) -> bool:
    size = (key.modulus.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    encoded = pow(int.from_bytes(signature, "big"), key.exponent, key.modulus).to_bytes(size, "big")
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    padding = b"\xff" * (size - len(digest_info) - 3)
    return hmac.compare_digest(encoded, b"\x00\x01" + padding + b"\x00" + digest_info)


@dataclass
class OAuthState:
    """Issued tokens and trusted keys. With no keys registered every well-formed assertion is accepted."""

    token_lifetime_seconds: int = 3600
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _keys: dict[str, RsaPublicKey] = field(default_factory=dict, repr=False)
    _tokens: dict[str, TokenGrant] = field(default_factory=dict, repr=False)
    _grants: list[TokenGrant] = field(default_factory=list, repr=False)

    def register_public_key(self, key_id: str, *, modulus: int, exponent: int = 65537) -> None:
        """Trust a service account key; ``key_id`` is the JSON key file's ``private_key_id`` (JWT ``kid``)."""
        with self._lock:
            self._keys[key_id] = RsaPublicKey(modulus, exponent)

    @property
    def grants(self) -> list[TokenGrant]:
        with self._lock:
            return list(self._grants)

    def revoke_all(self) -> None:
        """Invalidate every issued token, as a key rotation would; clients must fetch a new one."""
        with self._lock:
            self._tokens.clear()

    def decode_assertion(self, assertion: str, *, now: float | None = None) -> dict[str, Any]:
        moment = time.time() if now is None else now
        try:
            header_b64, payload_b64, signature_b64 = assertion.split(".")
            header = json.loads(_b64url_decode(header_b64))
            claims: dict[str, Any] = json.loads(_b64url_decode(payload_b64))
            signature = _b64url_decode(signature_b64)
        except ValueError as exc:
            raise InvalidAssertionError("Invalid JWT: could not decode the assertion.") from exc
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise InvalidAssertionError("Invalid JWT: could not decode the assertion.")
        with self._lock:
            keys = dict(self._keys)
        if keys:
            kid = header.get("kid")
            candidates = [keys[kid]] if kid in keys else ([] if kid else list(keys.values()))
            signing_input = f"{header_b64}.{payload_b64}".encode()
            if header.get("alg") != "RS256" or not any(
                rs256_verify(signing_input, signature, key) for key in candidates
            ):
                raise InvalidAssertionError("Invalid JWT Signature.")
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int | float) or not isinstance(exp, int | float):
            raise InvalidAssertionError(_SHORT_LIVED)
        if exp <= moment or exp - iat > _MAX_ASSERTION_LIFETIME:
            raise InvalidAssertionError(_SHORT_LIVED)
        return claims

    def issue(self, claims: dict[str, Any]) -> TokenGrant:
        grant = TokenGrant(
            access_token="ya29.sandbox." + secrets.token_urlsafe(32),
            issuer=str(claims.get("iss", "")),
            scopes=tuple(str(claims.get("scope", "")).split()),
            subject=claims.get("sub"),
            expires_at=time.time() + self.token_lifetime_seconds,
        )
        with self._lock:
            self._tokens[grant.access_token] = grant
            self._grants.append(grant)
        return grant

    def is_authorized(self, authorization: str | None) -> bool:
        """Accept a token issued here, or a self-signed service-account JWT (``always_use_jwt_access``)."""
        if not authorization or not authorization.startswith("Bearer "):
            return False
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            grant = self._tokens.get(token)
        if grant is not None:
            return grant.expires_at > time.time()
        if token.count(".") != 2:
            return False
        try:
            self.decode_assertion(token)
        except InvalidAssertionError:
            return False
        return True


def _token_error(error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=400)


def oauth_router(state: OAuthState) -> APIRouter:
    router = APIRouter()

    @router.post("/token")
    async def token(request: Request) -> JSONResponse:
        # Parsed by hand: google-auth sends application/x-www-form-urlencoded and FastAPI's Form() would need
        # python-multipart, which the sandbox does not ship.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        grant_type = form.get("grant_type", "")
        if grant_type != JWT_BEARER_GRANT:
            return _token_error("unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        assertion = form.get("assertion")
        if not assertion:
            return _token_error("invalid_request", "Missing required parameter: assertion")
        try:
            claims = state.decode_assertion(assertion)
        except InvalidAssertionError as exc:
            return _token_error("invalid_grant", str(exc))
        grant = state.issue(claims)
        return JSONResponse(
            {
                "access_token": grant.access_token,
                "expires_in": state.token_lifetime_seconds,
                "token_type": "Bearer",
            }
        )

    return router
