"""The bearer token (CALENDAR_ADMIN_TOKEN) every `/admin` route of the calendar wants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from inkline_platform.credentials import credential_matches

_bearer = HTTPBearer(auto_error=False)


def admin_guard(token: SecretStr) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    def authorised(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        given = None if credentials is None else credentials.credentials
        if not credential_matches(given, token.get_secret_value()):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "a valid bearer token is required",
                {"WWW-Authenticate": "Bearer"},
            )

    return authorised
