"""The admin token: `Authorization: Bearer <CAMPAIGNS_ADMIN_TOKEN>` for the API; the dashboard signs in with it once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from inkline_platform.credentials import credential_matches

BEARER = HTTPBearer(auto_error=False, description="CAMPAIGNS_ADMIN_TOKEN")


def token_matches(given: str | None, expected: SecretStr) -> bool:
    """Constant-time, for any characters given; an empty admin token matches nothing."""
    return credential_matches(given, expected.get_secret_value())


def bearer_guard(expected: SecretStr) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    def require(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
        if credentials is None or not token_matches(credentials.credentials, expected):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="a valid admin token is required: Authorization: Bearer <CAMPAIGNS_ADMIN_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return require
