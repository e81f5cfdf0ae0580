"""What a page says when a service behind it does not answer: a page the artist can read, never a 500."""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import Response

from inkline_studio.adapters.service_api import ServiceUnavailableError
from inkline_studio.api.pages import Pages

log = structlog.get_logger(__name__)


def install(app: FastAPI, pages: Pages) -> None:
    async def unavailable(request: Request, exc: Exception) -> Response:
        log.warning("studio.service_unavailable", path=request.url.path, reason=str(exc))
        return pages.render(request, "unavailable.html", status_code=503)

    app.add_exception_handler(ServiceUnavailableError, unavailable)
