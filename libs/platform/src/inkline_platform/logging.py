"""structlog JSON logging with the correlation id bound per message, and phone numbers masked."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from inkline_platform.tracing import current_ids

# WhatsApp ids and E.164 numbers: 8 to 15 digits, optionally with a leading +.
_PHONE = re.compile(r"(?<![\w.])\+?(\d{2})\d{4,11}(\d{2})(?!\w)")
_SECRET_KEYS = {
    "access_token",
    "api_key",
    "authorization",
    "app_secret",
    "webhook_secret",
    "password",
    "token",
}


def mask_phone_numbers(text: str) -> str:
    """Keep a number recognisable in logs (first and last two digits) and no more."""
    return _PHONE.sub(lambda match: f"{match.group(1)}…{match.group(2)}", text)


def _mask(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        if key.lower() in _SECRET_KEYS:
            event_dict[key] = "***"
        elif isinstance(value, str):
            event_dict[key] = mask_phone_numbers(value)
    return event_dict


def _add_trace_ids(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Every line logged inside a span names it, so a log line leads to its trace and back."""
    ids = current_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def configure_logging(*, service: str, level: str = "INFO", json: bool = True) -> None:
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _mask,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries (FastStream, uvicorn, SQLAlchemy) log through the standard library: same stream, same level.
    logging.basicConfig(
        stream=sys.stdout,
        level=level.upper(),
        format=f"%(asctime)s {service} %(name)s %(levelname)s %(message)s",
        force=True,
    )
