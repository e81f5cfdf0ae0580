"""The sender: takes queued messages from the outbound table and sends them through the Graph API.

Delivery guarantee. A `notify.send` is queued in the same transaction as its inbox claim, so it is queued
exactly once. Each call to the Cloud API is committed as started before it is made, and tagged with
`biz_opaque_callback_data`; Meta's answer then records the wamid (status `sent`). The Cloud API has no
idempotency key, so when the answer never comes (a timeout, the process dying, the recording failing)
the message may or may not have gone out. It is then not sent again on the next tick: it waits for a
status callback carrying its tag, which records it as sent, and only after a grace period without one is
it sent once more; after a second unanswered call it is given up. So a person gets a message at most
twice, and only when Meta's callbacks do not arrive. A message is only ever taken by one sender (one
replica runs the job at a time, under the job's advisory lock, and starting a call checks the message is
unchanged). On a graceful stop (`close`) the sender finishes the sends it has started before the process
exits. A 5xx or a failed connection is a definite "not sent": retried with backoff, a bounded number of
times.

Order. Each recipient's messages go out in the order they were queued: only the oldest queued message of
a recipient is eligible, so a later one waits while an earlier one is backing off or awaiting its
status callback. A sender reads the oldest queued message again as it locks it (a message another sender
started meanwhile is no longer due), so two senders never send one recipient's messages side by side.

Lanes. A sender given a lane sends only that lane's messages (marketing in `bulk`, everything else in
`reply`), each lane its own job, so a reply never waits for a campaign's batch; order is kept per
recipient within a lane.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import structlog
from pydantic import TypeAdapter

from inkline_contracts.events.notify import Category, Content
from inkline_contracts.send_routing import Lane
from inkline_notifier.adapters.whatsapp import SendError, WhatsAppGateway
from inkline_notifier.db.models import OutboundMessage
from inkline_notifier.domain.attempts import MAX_UNCONFIRMED, callback_tag, retry_delay
from inkline_notifier.domain.payloads import message_body
from inkline_notifier.domain.policy import Contact as ContactState
from inkline_notifier.domain.policy import Refuse, SendAs, Template, decide
from inkline_notifier.domain.send_errors import Action, action_for
from inkline_notifier.jobs.answers import AnswerRecorder
from inkline_notifier.jobs.due import contact_state, due_statement
from inkline_notifier.jobs.send_records import begin_attempts, give_up, requeue
from inkline_platform.clock import Clock, utc_now
from inkline_platform.tracing import continued
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)
_CONTENT: TypeAdapter[Content] = TypeAdapter(Content)
# A throttled message is retried patiently, but not for ever: about a day at the maximum wait.
MAX_THROTTLED = 300


class Limiter(Protocol):
    async def acquire(self) -> None: ...


@dataclass(frozen=True)
class SendPolicy:
    templates: Mapping[str, Template]
    default_template: Template | None
    max_attempts: int = 4
    retry_base_seconds: float = 0.5
    throttle_base_seconds: float = 2.0
    throttle_max_seconds: float = 300.0
    batch_size: int = 16
    unconfirmed_wait_seconds: float = 70.0
    """How long a call whose answer never came waits for a status callback: the call's timeout plus the
    grace period."""


@dataclass(frozen=True)
class _Planned:
    """A due message as the sender took it: what to send (`body`), or why not."""

    message: OutboundMessage
    plan: SendAs | Refuse
    body: dict[str, object] | None


class Sender:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        gateway: WhatsAppGateway,
        limiter: Limiter,
        policy: SendPolicy,
        clock: Clock = utc_now,
        lane: Lane | None = None,
        name: str | None = None,
    ) -> None:
        """`name` is recorded with each call this sender makes (`sent_by`): which replica made it."""
        self._uow = uow
        self._name = name
        self._lane = lane
        self._gateway = gateway
        self._limiter = limiter
        self._policy = policy
        self._clock = clock
        self._answers = AnswerRecorder(uow)
        self._due = due_statement(lane, policy.batch_size)
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()
        self.woken = asyncio.Event()
        """Set when a message was queued, so the job sends it now rather than at its next poll."""

    def wake(self) -> None:
        """Called once a queued message is committed."""
        self.woken.set()

    async def run(self) -> None:
        """Send until nothing is due: the periodic job.

        It asks again after a batch only when there may be more: the batch was full, a recipient has a
        later message queued, or a message was not settled (to be retried now, perhaps). Otherwise the
        empty claim that would follow every reply is saved: a message queued meanwhile wakes the job.
        """
        while not self._stopping:
            self._idle.clear()
            try:
                claimed = await self._claim()
                if claimed is None:
                    break
                planned, started, more = claimed
                settled = await self._send_batch(planned, started)
                if not more and all(settled):
                    break
            finally:
                self._idle.set()

    async def _claim(self) -> tuple[list[_Planned], dict[uuid.UUID, int], bool] | None:
        """Lock the due messages no other sender holds, plan them, and commit the calls as started (all in
        one transaction, before any call is made), and whether more may be due after them; None when
        nothing is due."""
        async with self._uow() as uow:
            found = (await uow.session.execute(self._due)).all()
            if not found:
                return None
            planned = [
                self._planned(message, contact_state(message, contact)) for message, contact, _ in found
            ]
            more = len(found) >= self._policy.batch_size or any(later for _, _, later in found)
            calls = [(item.message, str(item.body["type"])) for item in planned if item.body is not None]
            started = await begin_attempts(
                uow.session, calls, hold_seconds=self._policy.unconfirmed_wait_seconds, sent_by=self._name
            )
            # Detached as loaded, before the commit would expire them.
            uow.session.expunge_all()
            await uow.commit()
        return planned, started, more

    async def _send_batch(self, planned: list[_Planned], started: dict[uuid.UUID, int]) -> list[bool]:
        """Whether each message is settled (sent, given up, or awaiting its status callback)."""
        # One message per recipient in a batch, so they can all go concurrently.
        return await asyncio.gather(
            *(
                self._send(item.message, item.plan, item.body, started.get(item.message.id))
                for item in planned
            )
        )

    async def close(self, *, timeout: float = 15.0) -> None:
        """Take no new messages and wait for the sends in flight to be recorded."""
        self._stopping = True
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation and hang shutdown.
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            log.warning("sender_stopped_with_sends_in_flight")

    def _planned(self, message: OutboundMessage, contact: ContactState) -> _Planned:
        plan = self._plan(message, contact)
        if isinstance(plan, Refuse):
            return _Planned(message, plan, None)
        return _Planned(message, plan, message_body(contact.recipient(message.to_wa_id), plan.content))

    def _plan(self, message: OutboundMessage, contact: ContactState) -> SendAs | Refuse:
        if message.attempt_started_at is not None and message.unconfirmed + 1 >= MAX_UNCONFIRMED:
            return Refuse("unconfirmed")
        return decide(
            _CONTENT.validate_python(message.content),
            category=Category(message.category),
            purpose=message.purpose,
            contact=contact,
            now=self._clock(),
            templates=self._policy.templates,
            default_template=self._policy.default_template,
            force_template=message.force_template,
            language=message.language,
        )

    async def _send(
        self,
        message: OutboundMessage,
        plan: SendAs | Refuse,
        body: dict[str, object] | None,
        attempt: int | None,
    ) -> bool:
        # In the trace of the `notify.send` that queued it, not the sender tick's: the Graph API call
        # and the `message.sent` it leads to continue the booking's trace.
        with (
            continued(message.trace_headers),
            structlog.contextvars.bound_contextvars(
                notification_id=str(message.id), correlation_id=message.correlation_id
            ),
        ):
            if message.attempt_started_at is not None:
                # The last call was never answered and no status callback named it within the grace period.
                log.warning("send_unconfirmed", attempt=message.attempts, unconfirmed=message.unconfirmed + 1)
            if isinstance(plan, Refuse):
                await give_up(self._uow, message, reason=plan.reason)
            elif body is not None and attempt is not None:
                return await self._call(message, plan, body, attempt)
            # else: it changed since it was read (a status callback recorded it): nothing to send.
            return True

    async def _call(
        self, message: OutboundMessage, decision: SendAs, body: dict[str, object], attempt: int
    ) -> bool:
        try:
            await self._limiter.acquire()
        except Exception as exc:
            # The number's rate could not be read (it is kept in the database): not sent, so due again
            # soon, rather than waiting out the grace period of a call that may have been made.
            log.warning("send_rate_unavailable", error=repr(exc))
            unsent = SendError(http_status=None, code=None, detail="send rate unavailable")
            await requeue(self._uow, message, delay=self._policy.retry_base_seconds, error=unsent)
            return False
        try:
            wamid = await self._gateway.send(
                body | {"biz_opaque_callback_data": callback_tag(message.id, attempt)}
            )
        except SendError as exc:
            if exc.outcome_unknown:
                # Meta may have sent it: left as started, for a status callback carrying the tag to record,
                # or to be sent once more when the grace period has passed.
                log.warning("send_outcome_unknown", attempt=attempt, detail=exc.detail)
                return True
            await self._after_failure(message, decision, exc)
            return False
        try:
            await self._answers.record(message, wamid)
        except Exception as exc:
            # Sent, but not recorded: still marked started, so it is not sent again before its status
            # callback had the chance to record it.
            log.error("sent_but_not_recorded", wamid=wamid, error=repr(exc))
        return True

    async def _after_failure(self, message: OutboundMessage, decision: SendAs, exc: SendError) -> None:
        action = action_for(http_status=exc.http_status, code=exc.code)
        log.warning(
            "send_failed", http_status=exc.http_status, code=exc.code, action=action, detail=exc.detail
        )
        if action is Action.REQUEUE and message.throttled < MAX_THROTTLED:
            delay = self._throttle_delay(message.throttled)
            await requeue(self._uow, message, delay=delay, error=exc, counter="throttled")
        elif action is Action.TEMPLATE and not decision.fallback and not message.force_template:
            await requeue(self._uow, message, delay=0.0, error=exc, force_template=True)
        elif action is Action.RETRY and message.retried + 1 < self._policy.max_attempts:
            delay = retry_delay(message.retried + 1, base_seconds=self._policy.retry_base_seconds)
            await requeue(self._uow, message, delay=delay, error=exc, counter="retried")
        elif action is Action.RETRY:
            reason = exc.reason or "meta_unavailable"
            await give_up(self._uow, message, reason=reason, error_code=exc.code, error=exc.detail)
        elif action is Action.REQUEUE:
            await give_up(self._uow, message, reason="throttled", error_code=exc.code, error=exc.detail)
        else:
            reason = exc.reason or "meta_error"
            await give_up(self._uow, message, reason=reason, error_code=exc.code, error=exc.detail)

    def _throttle_delay(self, throttled: int) -> float:
        ceiling = min(self._policy.throttle_max_seconds, self._policy.throttle_base_seconds * 2**throttled)
        # Full jitter: many messages throttled together must not come back together.
        return random.uniform(ceiling / 2, ceiling)
