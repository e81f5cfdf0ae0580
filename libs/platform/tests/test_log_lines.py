"""Every line of a service, its own or a library's, goes through one path that masks and redacts; the
transport's chatter shows only from LOG_LEVEL=DEBUG."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
import uvicorn

from inkline_platform.logging import configure_logging

PHONE = "447700900123"
BSUID = "US.13491208655302741918"
ACTION_TOKEN = "q3Zl9fX1-action-token-kept-secret"


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """`log_lines(level)` configures the service's logging and returns a reader of the JSON lines since."""

    def configure(level: str) -> Any:
        configure_logging(service="conversation", level=level, json=True)
        capsys.readouterr()
        return lambda: [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    yield configure
    with capsys.disabled():  # the handler must not keep writing to this test's closed capture
        configure_logging(service="test", json=False)


def _uvicorn_access_line() -> None:
    # As uvicorn's httptools/h11 protocols log a request.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:50112",
        "GET",
        f"/actions/{ACTION_TOKEN}?from={PHONE}",
        "1.1",
        200,
    )


def test_a_uvicorn_access_line_is_masked_and_its_action_token_redacted(log_lines: Any) -> None:
    read = log_lines("DEBUG")

    _uvicorn_access_line()

    (line,) = read()
    assert line["logger"] == "uvicorn.access"
    assert line["service"] == "conversation"
    assert "/actions/[redacted]?from=44…23" in line["event"]
    assert PHONE not in json.dumps(line)
    assert ACTION_TOKEN not in json.dumps(line)


def test_uvicorns_access_lines_keep_to_the_one_path_after_uvicorn_configured_its_own(log_lines: Any) -> None:
    # An in-process server (the sandbox hub in a test, say) applies uvicorn's default logging config, which
    # gives the access logger a handler of its own and stops it propagating.
    uvicorn.Config(app="inkline_platform.runtime:ServiceRuntime")
    read = log_lines("DEBUG")

    _uvicorn_access_line()

    (line,) = read()
    assert "/actions/[redacted]" in line["event"]


def test_a_library_errors_exception_text_is_masked(log_lines: Any) -> None:
    read = log_lines("INFO")

    try:
        raise RuntimeError(f"duplicate key (wa_id)=({PHONE})")
    except RuntimeError:
        logging.getLogger("sqlalchemy.pool").exception("checkout failed")

    (line,) = read()
    assert line["level"] == "error"
    assert "44…23" in line["exception"]
    assert PHONE not in json.dumps(line)


def test_a_business_scoped_user_id_is_masked_in_an_event_and_in_a_librarys_line(log_lines: Any) -> None:
    read = log_lines("DEBUG")

    structlog.get_logger("inkline_conversation.api").info("lead_created", to=BSUID)
    logging.getLogger("httpx").info("HTTP Request: POST /messages recipient=%s", BSUID)

    lines = read()
    assert [line.get("to") for line in lines] == ["US.…1918", None]
    assert lines[1]["event"].endswith("recipient=US.…1918")
    assert BSUID not in json.dumps(lines)


def test_the_transports_chatter_is_quiet_at_info_but_its_warnings_are_not(log_lines: Any) -> None:
    read = log_lines("INFO")

    logging.getLogger("inkline.conversation.broker").info("callback for Task-12 is being executed...")
    logging.getLogger("inkline.conversation.broker").info("Received")
    logging.getLogger("httpx").info("HTTP Request: POST http://127.0.0.1:8000/graph 200 OK")
    logging.getLogger("uvicorn.error").info("Waiting for application startup.")
    logging.getLogger("stripe").info("message='Request to Stripe api' method=post")
    _uvicorn_access_line()
    logging.getLogger("inkline.conversation.broker").warning("connection lost")
    structlog.get_logger("inkline_conversation.journey.turn").info("lead_status_changed", to="qualified")

    assert [(line["level"], line["event"]) for line in read()] == [
        ("warning", "connection lost"),
        ("info", "lead_status_changed"),
    ]


def test_log_level_debug_shows_the_transports_chatter(log_lines: Any) -> None:
    read = log_lines("DEBUG")

    logging.getLogger("inkline.conversation.broker").info("callback for Task-12 is being executed...")
    logging.getLogger("httpx").info("HTTP Request: POST http://127.0.0.1:8000/graph 200 OK")
    _uvicorn_access_line()

    assert [line["event"][:20] for line in read()] == [
        "callback for Task-12",
        "HTTP Request: POST h",
        '127.0.0.1:50112 - "G',
    ]
