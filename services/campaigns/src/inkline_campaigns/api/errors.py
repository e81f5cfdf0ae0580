"""Validation errors a person can read: one sentence per problem, naming the field."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def _where(location: tuple[object, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path")]
    return ".".join(parts) or "request"


async def readable_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{_where(tuple(error['loc']))}: {str(error['msg']).removeprefix('Value error, ')}"
        for error in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": "; ".join(problems), "problems": problems})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, readable_validation_error)
