"""A pull consumer's idle fetch ends in `nats.errors.TimeoutError`, never in the builtin one.

nats-py documents that `PullSubscription.fetch` raises `nats.errors.TimeoutError` when no message came in
time, and FastStream's pull loop ignores exactly that one. But nats-py 2.16 raises the builtin
`TimeoutError` on one idle path: when the server's "408 request timeout" for the first (no-wait) request
arrives just before the fetch's own deadline, `_fetch_n` gives up with `raise asyncio.TimeoutError`.
FastStream then sees an error, logs a traceback ("please consider opening issue…"), and restarts the
consumer's task, logging a line each time: under load this happened on every idle second of every
consumer. Translating that one exception to the documented one keeps the fetch loop running quietly;
any other error still reaches FastStream's supervisor as before.

The same wrapper marks the messages one fetch returned as fetched together (see group_commit.py).
"""

from __future__ import annotations

from typing import Any

import nats.errors
from nats.aio.msg import Msg
from nats.js.client import JetStreamContext

from inkline_platform.group_commit import mark_fetched_together

_original_fetch = JetStreamContext.PullSubscription.fetch


async def _fetch(
    self: JetStreamContext.PullSubscription,
    batch: int = 1,
    timeout: float | None = 5,
    heartbeat: float | None = None,
) -> list[Msg]:
    try:
        messages: list[Msg] = await _original_fetch(self, batch, timeout, heartbeat)
    except nats.errors.TimeoutError:
        raise
    except TimeoutError as exc:  # the builtin one: nothing arrived in time, all the same
        raise nats.errors.TimeoutError from exc
    # Which messages came together, for the consumers that handle a fetch in one transaction.
    mark_fetched_together(messages)
    return messages


def install() -> None:
    """Make every pull subscription's `fetch` raise only the documented timeout (idempotent)."""
    fetch: Any = _fetch
    if JetStreamContext.PullSubscription.fetch is not fetch:
        setattr(JetStreamContext.PullSubscription, "fetch", fetch)  # noqa: B010 - mypy forbids assigning a method
