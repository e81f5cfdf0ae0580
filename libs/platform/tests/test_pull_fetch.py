"""An idle pull consumer's fetch ends in the timeout FastStream's pull loop expects, so the loop keeps
running instead of being restarted with an error traceback every idle second."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import nats.errors
import pytest
from nats.aio.msg import Msg
from nats.js.client import JetStreamContext

import inkline_platform.broker  # noqa: F401 - importing the broker module is what every service does


class _ServerAnsweringAtTheDeadline:
    """A subscription whose server answers the fetch's first request with "408 request timeout" only as
    the fetch's own deadline passes: the idle path on which nats-py gave up with the builtin TimeoutError."""

    def __init__(self) -> None:
        self._pending_queue: asyncio.Queue[Msg] = asyncio.Queue()
        self._pending_size = 0

    async def next_msg(self, timeout: float | None) -> Msg:
        await asyncio.sleep(timeout or 0)
        return Msg(_client=Any, subject="_INBOX.x", data=b"", headers={"Status": "408"})  # type: ignore[arg-type]


async def _publish(*_: object, **__: object) -> None:
    return None


def _pull_subscription() -> JetStreamContext.PullSubscription:
    connection = SimpleNamespace(publish=_publish)
    js: Any = SimpleNamespace(_nc=connection, _prefix="$JS.API")
    sub: Any = _ServerAnsweringAtTheDeadline()
    return JetStreamContext.PullSubscription(js=js, sub=sub, stream="S", consumer="c", deliver=b"_INBOX.x")


async def test_an_idle_batch_fetch_times_out_with_the_error_faststream_ignores() -> None:
    with pytest.raises(nats.errors.TimeoutError):
        await _pull_subscription().fetch(batch=16, timeout=0.05)


async def test_other_fetch_errors_still_reach_the_caller() -> None:
    with pytest.raises(ValueError, match="invalid batch size"):
        await _pull_subscription().fetch(batch=0, timeout=0.05)
