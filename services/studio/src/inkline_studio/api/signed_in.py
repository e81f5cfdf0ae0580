"""The guard of every page behind sign-in: without a valid session the browser goes to the sign-in form."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, status

from inkline_studio.api.session import Sessions, SignedIn


def signed_in_guard(sessions: Sessions) -> Callable[[Request], SignedIn]:
    def require(request: Request) -> SignedIn:
        person = sessions.current(request)
        if person is None:
            raise HTTPException(status.HTTP_303_SEE_OTHER, headers={"Location": "/sign-in"})
        return person

    return require
