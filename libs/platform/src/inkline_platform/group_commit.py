"""Group commit: the deliveries one fetch brought a consumer are handled in one transaction.

FastStream hands every message of a fetch to the consumer at once, each in a task of its own. With group
commit each task parses its message and joins its fetch's group; the last to arrive handles the whole group
in stream order in one unit of work (one BEGIN, one inbox insert for all, one outbox insert, one COMMIT)
and every task then acknowledges its own message. Under load a fetch brings several messages, and their
per-transaction costs are paid once.

If any handler of the group fails, the transaction rolls back: nothing of the group was kept, so nothing
is lost and nothing will be done twice. Every member is then handled alone, as without group commit, so the
failing one is retried (or dead-lettered) by itself and the others commit on their own.

Only for handlers whose every effect is in their transaction: a handler that calls out (a send, a charge)
would repeat the call of a message handled before the failing one.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from nats.aio.msg import Msg
from opentelemetry.trace import Span

from inkline_contracts.envelope import Envelope

log = structlog.get_logger(__name__)
# How long the members that have arrived wait for the rest of their fetch before going ahead without them:
# a message that never reaches the handler (FastStream failed it before) must not hold up the others.
GATHER_SECONDS = 1.0
_GROUP_ATTRIBUTE = "_inkline_fetch_group"


class Outcome(enum.Enum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    # The group's transaction did not commit (or had begun without this member): handle it alone.
    ALONE = "alone"


@dataclass
class Member:
    envelope: Envelope[Any]
    stream_sequence: int
    span: Span  # the delivery's CONSUMER span, current while its handler runs
    outcome: Outcome = field(default=Outcome.ALONE, init=False)


# Handles the members in the order given, in one transaction; returns the ids it found already handled.
RunGroup = Callable[[Sequence[Member]], Awaitable[set[Any]]]


class FetchGroup:
    """The messages of one fetch; its members meet here and the last to arrive handles them all."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._arrived = 0
        self._members: list[Member] = []
        self._started = False
        self._done = asyncio.Event()

    async def handle(self, member: Member, run: RunGroup) -> Outcome:
        """Join the group and return once it was handled: this member's outcome."""
        if self._started:  # it arrived after the group went ahead without it
            return Outcome.ALONE
        self._members.append(member)
        await self._arrive(run)
        if not self._done.is_set():
            try:
                async with asyncio.timeout(GATHER_SECONDS):
                    await self._done.wait()
            except TimeoutError:
                if not self._started:
                    await self._run(run)
            await self._done.wait()
        return member.outcome

    async def leave(self, run: RunGroup) -> None:
        """A member that needs no transaction (malformed, declined): the others no longer wait for it."""
        await self._arrive(run)

    async def _arrive(self, run: RunGroup) -> None:
        self._arrived += 1
        if self._arrived >= self._size and not self._started:
            await self._run(run)

    async def _run(self, run: RunGroup) -> None:
        self._started = True
        members = sorted(self._members, key=lambda member: member.stream_sequence)
        try:
            if members:
                duplicates = await run(members)
                for member in members:
                    handled = member.envelope.message_id not in duplicates
                    member.outcome = Outcome.HANDLED if handled else Outcome.DUPLICATE
        except Exception as exc:
            # Each member is handled alone next, and a failure of its own is logged there too.
            log.warning("group_commit_fell_back", messages=len(members), error=repr(exc)[:500])
            for member in members:
                member.outcome = Outcome.ALONE
        finally:
            self._done.set()


def mark_fetched_together(messages: list[Msg]) -> None:
    """Tag the messages of one fetch with their group (a lone message needs none)."""
    if len(messages) > 1:
        group = FetchGroup(len(messages))
        for message in messages:
            setattr(message, _GROUP_ATTRIBUTE, group)


def fetch_group(message: Msg) -> FetchGroup | None:
    group = getattr(message, _GROUP_ATTRIBUTE, None)
    return group if isinstance(group, FetchGroup) else None
