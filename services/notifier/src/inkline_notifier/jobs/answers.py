"""Recording Meta's answers to the sender's calls, many in one transaction.

A batch's calls are made together and their answers come back within moments of each other: recorded one
transaction each, a 16-message batch cost 16 commits of four statements. The answers that come while one
group is being written wait and are written together next (group commit), so the first answer is never
held back and a batch costs one or two transactions.
"""

from __future__ import annotations

import asyncio
import contextvars

import structlog

from inkline_notifier.db.models import OutboundMessage
from inkline_notifier.db.outbound import record_sent_many
from inkline_platform.tracing import continued
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class AnswerRecorder:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow
        self._waiting: list[tuple[OutboundMessage, str, asyncio.Future[None]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def record(self, message: OutboundMessage, wamid: str) -> None:
        """Record `message` sent as `wamid` and announce it; raises when its group could not be written."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((message, wamid, written))
        if self._writing is None:
            # A context of its own: the group is not the first caller's (its log fields, its trace).
            self._writing = asyncio.create_task(self._write_all(), context=contextvars.Context())
        await written

    async def _write_all(self) -> None:
        group: list[tuple[OutboundMessage, str, asyncio.Future[None]]] = []
        try:
            while self._waiting:
                # One turn of the loop: answers that came back together all join this group.
                await asyncio.sleep(0)
                group, self._waiting = self._waiting, []
                try:
                    await self._write([(message, wamid) for message, wamid, _ in group])
                except Exception as exc:
                    for _, _, written in group:
                        if not written.done():
                            written.set_exception(exc)
                    continue
                for _, _, written in group:
                    if not written.done():
                        written.set_result(None)
        finally:
            self._writing = None
            # Cancelled (the service stopping): nobody is left waiting for an answer that will not come.
            for _, _, written in (*group, *self._waiting):
                if not written.done():
                    written.cancel()

    async def _write(self, answers: list[tuple[OutboundMessage, str]]) -> None:
        # One commit carries one trace: the group's `message.sent`s continue the first message's (for a
        # reply, almost always a group of one; for a campaign, its sends share the campaign's trace).
        with continued(answers[0][0].trace_headers):
            async with self._uow() as work:
                recorded = await record_sent_many(work, [(message.id, wamid) for message, wamid in answers])
                await work.commit()
        log.debug("messages_sent", count=recorded, of=len(answers))
