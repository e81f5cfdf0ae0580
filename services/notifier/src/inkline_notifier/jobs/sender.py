"""The sender: takes queued messages from the outbound table and sends them through the Graph API.

Delivery guarantee. A `notify.send` is queued in the same transaction as its inbox claim, so it is queued
exactly once. The sender sends a message, then records the wamid (status `sent`) in a second transaction.
**The one resend window** is between the two: if the process dies after Meta accepted the message but
before that commit, or the request times out after Meta accepted it, the message is still `queued` and is
sent again, because the Cloud API has no idempotency key. Everything else is exactly once: a message is
only ever taken by one sender (one replica runs the job at a time, under the job's advisory lock) and a
recorded message is never taken again. On a graceful stop (`close`) the sender finishes the sends it has
started before the process exits, so a restart does not resend them.

Order. Each recipient's messages go out in the order they were queued: only the oldest queued message of
a recipient is eligible, so a later one waits while an earlier one is backing off.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog
from pydantic import TypeAdapter
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from inkline_contracts import subjects
from inkline_contracts.events.notify import Category, Content, MessageFailed, MessageSent
from inkline_notifier.adapters.whatsapp import SendError, WhatsAppGateway
from inkline_notifier.db.models import Contact, OutboundMessage
from inkline_notifier.db.outbound import apply_parked_statuses, lock_wamid
from inkline_notifier.domain.payloads import message_body
from inkline_notifier.domain.policy import Contact as ContactState
from inkline_notifier.domain.policy import Refuse, SendAs, Template, decide
from inkline_notifier.domain.send_errors import Action, action_for
from inkline_platform import metrics
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


class Sender:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        gateway: WhatsAppGateway,
        limiter: Limiter,
        policy: SendPolicy,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._limiter = limiter
        self._policy = policy
        self._clock = clock
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()

    async def run_once(self) -> None:
        """Send until nothing is due: the periodic job."""
        while not self._stopping:
            self._idle.clear()
            try:
                batch = await self._due()
                if not batch:
                    break
                # One message per recipient in a batch, so they can all go concurrently.
                await asyncio.gather(*(self._send(message, contact) for message, contact in batch))
            finally:
                self._idle.set()

    async def close(self, *, timeout: float = 15.0) -> None:
        """Take no new messages and wait for the sends in flight to be recorded."""
        self._stopping = True
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation and hang shutdown.
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            log.warning("sender_stopped_with_sends_in_flight")

    async def _due(self) -> list[tuple[OutboundMessage, ContactState]]:
        heads = (
            select(OutboundMessage.id, OutboundMessage.seq, OutboundMessage.next_attempt_at)
            .where(OutboundMessage.status == "queued")
            .ext(distinct_on(OutboundMessage.to_wa_id))
            .order_by(OutboundMessage.to_wa_id, OutboundMessage.seq)
            .subquery()
        )
        due = (
            select(heads.c.id)
            .where(heads.c.next_attempt_at <= func.now())
            .order_by(heads.c.seq)
            .limit(self._policy.batch_size)
        )
        statement = (
            select(OutboundMessage, Contact)
            .outerjoin(Contact, Contact.wa_id == OutboundMessage.to_wa_id)
            .where(OutboundMessage.id.in_(due))
            .order_by(OutboundMessage.seq)
        )
        async with self._uow() as uow:
            found = (await uow.session.execute(statement)).all()
            # Detached as loaded: leaving the unit of work rolls back, which would expire them.
            uow.session.expunge_all()
        return [
            (
                message,
                ContactState(
                    last_inbound_at=contact.last_inbound_at if contact else None,
                    opted_out=contact.opted_out if contact else False,
                ),
            )
            for message, contact in found
        ]

    async def _send(self, message: OutboundMessage, contact: ContactState) -> None:
        # In the trace of the `notify.send` that queued it, not the sender tick's: the Graph API call
        # and the `message.sent` it leads to continue the booking's trace.
        with (
            continued(message.trace_headers),
            structlog.contextvars.bound_contextvars(
                notification_id=str(message.id), correlation_id=message.correlation_id
            ),
        ):
            decision = decide(
                _CONTENT.validate_python(message.content),
                category=Category(message.category),
                purpose=message.purpose,
                contact=contact,
                now=self._clock(),
                templates=self._policy.templates,
                default_template=self._policy.default_template,
                force_template=message.force_template,
            )
            if isinstance(decision, Refuse):
                await self._fail(message, reason=decision.reason)
                return
            body = message_body(message.to_wa_id, decision.content)
            try:
                wamid = await self._send_with_retries(body)
            except SendError as exc:
                await self._after_failure(message, decision, exc)
                return
            await self._record_sent(message, wamid, sent_as=body["type"])

    async def _send_with_retries(self, body: dict[str, object]) -> str:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(self._policy.max_attempts),
            wait=wait_random_exponential(multiplier=self._policy.retry_base_seconds, max=30),
            retry=retry_if_exception(_is_transient),
            reraise=True,
        ):
            with attempt:
                await self._limiter.acquire()
                return await self._gateway.send(body)
        raise AssertionError("tenacity either returns or re-raises")  # pragma: no cover

    async def _after_failure(self, message: OutboundMessage, decision: SendAs, exc: SendError) -> None:
        action = action_for(http_status=exc.http_status, code=exc.code)
        log.warning(
            "send_failed", http_status=exc.http_status, code=exc.code, action=action, detail=exc.detail
        )
        if action is Action.REQUEUE and message.throttled < MAX_THROTTLED:
            await self._requeue(message, delay=self._throttle_delay(message.throttled), error=exc)
        elif action is Action.TEMPLATE and not decision.fallback and not message.force_template:
            await self._requeue(message, delay=0.0, error=exc, force_template=True)
        elif action is Action.RETRY:
            await self._fail(message, reason="meta_unavailable", error_code=exc.code, error=exc.detail)
        elif action is Action.REQUEUE:
            await self._fail(message, reason="throttled", error_code=exc.code, error=exc.detail)
        else:
            await self._fail(message, reason="meta_error", error_code=exc.code, error=exc.detail)

    def _throttle_delay(self, throttled: int) -> float:
        ceiling = min(self._policy.throttle_max_seconds, self._policy.throttle_base_seconds * 2**throttled)
        # Full jitter: many messages throttled together must not come back together.
        return random.uniform(ceiling / 2, ceiling)

    async def _requeue(
        self, message: OutboundMessage, *, delay: float, error: SendError, force_template: bool = False
    ) -> None:
        values: dict[str, object] = {
            "next_attempt_at": func.now() + timedelta(seconds=delay),
            "last_error": f"{error.code}: {error.detail}"[:2000],
            "error_code": error.code,
        }
        if force_template:
            values["force_template"] = True
        else:
            values["throttled"] = OutboundMessage.throttled + 1
        async with self._uow() as uow:
            await uow.session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == message.id, OutboundMessage.status == "queued")
                .values(values)
            )
            await uow.commit()

    async def _record_sent(self, message: OutboundMessage, wamid: str, *, sent_as: str) -> None:
        async with self._uow() as uow:
            await lock_wamid(uow.session, wamid)
            recorded = (
                await uow.session.execute(
                    update(OutboundMessage)
                    .where(OutboundMessage.id == message.id, OutboundMessage.status == "queued")
                    .values(
                        status="sent", wamid=wamid, sent_as=sent_as, sent_at=func.now(), status_at=func.now()
                    )
                    .returning(OutboundMessage)
                )
            ).scalar_one_or_none()
            if recorded is None:
                return
            uow.publish(
                subjects.MESSAGE_SENT,
                MessageSent(
                    notification_id=str(message.id),
                    to=message.to_wa_id,
                    wamid=wamid,
                    purpose=message.purpose,
                    category=Category(message.category),
                    campaign_tag=message.campaign_tag,
                ),
                correlation_id=message.correlation_id,
                causation_id=message.id,
            )
            await apply_parked_statuses(uow, recorded)
            uow.after_commit(metrics.SENDS.labels("sent").inc)
            await uow.commit()
        log.info("message_sent", to=message.to_wa_id, wamid=wamid, sent_as=sent_as)

    async def _fail(
        self,
        message: OutboundMessage,
        *,
        reason: str,
        error_code: int | None = None,
        error: str | None = None,
    ) -> None:
        async with self._uow() as uow:
            failed = (
                await uow.session.execute(
                    update(OutboundMessage)
                    .where(OutboundMessage.id == message.id, OutboundMessage.status == "queued")
                    .values(
                        status="failed",
                        failure_reason=reason,
                        error_code=error_code,
                        last_error=error[:2000] if error else None,
                        status_at=func.now(),
                    )
                    .returning(OutboundMessage.id)
                )
            ).scalar_one_or_none()
            if failed is None:
                return
            uow.publish(
                subjects.MESSAGE_FAILED,
                MessageFailed(
                    notification_id=str(message.id),
                    to=message.to_wa_id,
                    reason=reason,
                    error_code=error_code,
                    campaign_tag=message.campaign_tag,
                ),
                correlation_id=message.correlation_id,
                causation_id=message.id,
            )
            uow.after_commit(metrics.SENDS.labels("failed").inc)
            await uow.commit()
        log.warning("message_failed", to=message.to_wa_id, reason=reason, error_code=error_code)


def _is_transient(exc: BaseException) -> bool:
    return (
        isinstance(exc, SendError) and action_for(http_status=exc.http_status, code=exc.code) is Action.RETRY
    )
