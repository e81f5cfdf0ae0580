"""One logging path for a service: structlog's own events and the standard library's records (uvicorn,
FastStream, SQLAlchemy, httpx) pass the same processors, so every line carries the service, trace and
correlation ids, phone numbers and business-scoped user IDs are masked and secrets in URLs redacted, whoever wrote it.

At INFO a line is a business event; the transport's own chatter (FastStream's per-message and per-task
lines, uvicorn's access and lifecycle lines, httpx's per-request lines) shows from LOG_LEVEL=DEBUG, and
its warnings and errors always.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

from inkline_platform.redaction import redact_secrets
from inkline_platform.tracing import current_ids

# WhatsApp ids and E.164 numbers: 8 to 15 digits, optionally with a leading +; not a UUID's group of
# digits (a UUID joins its groups with hyphens).
_PHONE = re.compile(r"(?<![\w.-])\+?(\d{2})\d{4,11}(\d{2})(?!\w|-[0-9a-fA-F])")
# Meta's business-scoped user IDs (`US.13491208655302741918`, parent form `US.ENT.…`) name a person as
# surely as a phone number does. Not part of a longer dotted name (`wamid.HBgL…`, a JWT, a logger's name):
# nothing word-like or a dot just before the country code, nothing word-like after; a body of at least
# eight characters, which no real BSUID is shorter than and few dotted words reach.
_BSUID = re.compile(r"(?<![\w.])([A-Z]{2}\.(?:ENT\.)?)[A-Za-z0-9]{4,124}([A-Za-z0-9]{4})(?!\w)")
_SECRET_KEYS = {
    "access_token",
    "api_key",
    "authorization",
    "app_secret",
    "webhook_secret",
    "password",
    "token",
}


# Loggers of the transport, not of the business: quiet below WARNING unless LOG_LEVEL=DEBUG.
TRANSPORT_LOGGERS = (
    "faststream",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "httpx",
    "httpcore",
    "stripe",  # "Request to Stripe api" / "Stripe API response" for every call
)


def broker_logger_name(service: str) -> str:
    """The logger a service's FastStream broker writes to (one of the transport's)."""
    return f"inkline.{service}.broker"


def mask_phone_numbers(text: str) -> str:
    """Keep a number recognisable in logs (first and last two digits) and no more."""
    return _PHONE.sub(lambda match: f"{match.group(1)}…{match.group(2)}", text)


def mask_client_identifiers(text: str) -> str:
    """Phone numbers as `mask_phone_numbers`; a business-scoped user ID keeps its country (and `ENT.`) and
    its last four characters (`US.…1918`), so an operator can still tell two clients apart."""
    masked = _BSUID.sub(lambda match: f"{match.group(1)}…{match.group(2)}", text)
    return mask_phone_numbers(masked)


def _mask(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        if key.lower() in _SECRET_KEYS:
            event_dict[key] = "***"
        elif isinstance(value, str):
            event_dict[key] = redact_secrets(mask_client_identifiers(value))
    return event_dict


def _add_trace_ids(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Every line logged inside a span names it, so a log line leads to its trace and back."""
    ids = current_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def configure_logging(
    *, service: str, level: str = "INFO", json: bool = True, stream: TextIO | None = None
) -> None:
    """Send every log line of the process to `stream` (stdout) through the masking processors."""
    threshold = logging.getLevelName(level.upper())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        # A standard library record gets what a structlog event gets before rendering, and its logger's name.
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _mask,  # after the traceback is text: an exception's message is masked too
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(threshold)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(threshold),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    transport = logging.DEBUG if threshold <= logging.DEBUG else max(threshold, logging.WARNING)
    for name in (*TRANSPORT_LOGGERS, broker_logger_name(service)):
        logger = logging.getLogger(name)
        logger.setLevel(transport)
        # Through the root's handler only: uvicorn run with `access_log=False` (an in-process test server,
        # say) detaches its access logger, which would then bypass this path for good.
        logger.handlers = []
        logger.propagate = True
