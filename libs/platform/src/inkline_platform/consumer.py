"""The one way a service consumes a message: durable pull consumer, inbox, unit of work, explicit ack.

A consumer takes up to `BATCH_SIZE` messages at a time and FastStream handles a batch concurrently, so
handlers must not depend on the order of deliveries; one that does (the notifier's sends, whose order a
client reads) is `ordered`: one message in flight across all replicas, in stream order, a failing one
retried before the next.

For each delivery: parse the envelope (malformed → logged, dead-lettered, acknowledged: retrying cannot
fix it); claim the message id in the inbox and run the handler in the same transaction (a redelivery of a
handled message is acknowledged with no effect; with `group_commit`, the deliveries of one fetch share
that transaction, see group_commit.py); on failure, `nak` with a growing delay; after
`max_deliver` failures, dead-letter through the outbox and terminate the message.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from nats.js.api import AckPolicy as JetStreamAckPolicy
from nats.js.api import ConsumerConfig
from opentelemetry import trace
from opentelemetry.trace import Span, StatusCode
from pydantic import ValidationError

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.system import DeadLettered
from inkline_contracts.subjects import Subject, dead_letter_subject
from inkline_platform import metrics
from inkline_platform.group_commit import Member, Outcome, fetch_group
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

P = TypeVar("P", bound=Contract)
Handler = Callable[[UnitOfWork, Envelope[P]], Awaitable[None]]
# Whether a handler has anything to do with a message; one it declines is acknowledged untouched.
Accepts = Callable[[Envelope[P]], bool]

log = structlog.get_logger(__name__)
BATCH_SIZE = 16
# An ordered consumer's one message in flight holds up every later one: if the replica holding it dies, a
# sibling gets it after this long at the most, whatever the general ack wait (its handlers are short).
ORDERED_ACK_WAIT_SECONDS = 15.0


@dataclass(frozen=True)
class RedeliveryPolicy:
    max_deliver: int = 5
    backoff_seconds: Sequence[float] = field(default=(1.0, 5.0, 30.0, 120.0))
    ack_wait_seconds: float = 60.0

    def delay_after(self, deliveries: int) -> float:
        if not self.backoff_seconds:
            return 0.0
        return float(self.backoff_seconds[min(deliveries, len(self.backoff_seconds)) - 1])


async def whole_message(message: NatsMessage) -> NatsMessage:
    """The decoder every consumer uses: the handler gets the message itself (to acknowledge it) and parses
    its body once, into the envelope; FastStream's own decoder would parse the JSON a first time for nothing.
    """
    return message


def consumer_name(service: str, name: str) -> str:
    return f"{service}-{name}"


def _log_context(envelope: Envelope[Any], consumer: str) -> dict[str, str]:
    return {
        "correlation_id": envelope.correlation_id,
        "message_id": str(envelope.message_id),
        "consumer": consumer,
    }


def register_consumer(
    broker: NatsBroker,
    *,
    service: str,
    name: str,
    subject: Subject[P],
    handler: Handler[P],
    uow_factory: UnitOfWorkFactory,
    policy: RedeliveryPolicy,
    ordered: bool = False,
    partition: str | None = None,
    accepts: Accepts[P] | None = None,
    group_commit: bool = False,
) -> ConsumerConfig:
    """Subscribe `handler` to `subject` as the durable consumer `<service>-<name>`; returns the consumer's
    configuration, which the runtime declares on the stream at start-up. With `partition`, the consumer is
    `<service>-<name>-<partition>` and takes only what was published on `<subject>.<partition>`.

    With `accepts`, a message it declines is acknowledged with no transaction and no inbox record: a
    handler that would do nothing with it needs no exactly-once record of having done nothing, and a
    subject most of whose messages a consumer ignores (every send, for the few to the artist) then costs
    no database round trip per message.

    With `group_commit`, the deliveries of one fetch are handled in one transaction (see group_commit.py):
    only for a handler whose every effect is in its transaction. An ordered consumer has one message in
    flight, so nothing to group."""
    durable = consumer_name(service, name if partition is None else f"{name}-{partition}")
    filter_subject = subject.name if partition is None else f"{subject.name}.{partition}"
    model: type[Envelope[Any]] = Envelope[subject.payload]  # type: ignore[name-defined]
    dead_letters = dead_letter_subject(service)

    async def dead_letter(msg: NatsMessage, *, deliveries: int, error: str, message_id: str | None) -> None:
        async with uow_factory() as uow:
            uow.publish(
                dead_letters,
                DeadLettered(
                    service=service,
                    consumer=durable,
                    original_subject=subject.name,
                    original_message_id=message_id,
                    deliveries=deliveries,
                    error=error[:4000],
                    data=msg.body.decode("utf-8", errors="replace"),
                ),
                correlation_id=message_id or "dead-letter",
            )
            await uow.commit()
        metrics.DEAD_LETTERED.labels(service, durable).inc()

    async def handle_group(members: Sequence[Member]) -> set[uuid.UUID]:
        """Claim and handle `members` in one transaction; the ids some earlier delivery had handled."""
        ids = [member.envelope.message_id for member in members]
        async with uow_factory() as uow:
            claimed = await uow.claim_all(consumer=durable, message_ids=ids, subject=subject.name)
            unhandled = set(claimed)
            for member in members:
                if member.envelope.message_id not in unhandled:
                    continue
                unhandled.discard(member.envelope.message_id)  # one message twice in a fetch: handled once
                # Each handler inside its own delivery's span and log context: what it publishes continues
                # that delivery's trace. A failure is recorded when the member is retried alone.
                with (
                    trace.use_span(member.span, record_exception=False, set_status_on_exception=False),
                    structlog.contextvars.bound_contextvars(**_log_context(member.envelope, durable)),
                ):
                    await handler(uow, member.envelope)
            await uow.commit()
        return set(ids) - claimed

    async def consume(msg: NatsMessage) -> None:
        group = fetch_group(msg.raw_message) if group_commit else None
        joined = False
        try:
            envelope = await parsed(msg)
            if envelope is None:
                return
            if accepts is not None and not accepts(envelope):
                await msg.ack()
                metrics.MESSAGES_CONSUMED.labels(service, durable, "not_wanted").inc()
                return
            span = trace.get_current_span()
            if group is not None:
                joined = True
                started = time.perf_counter()
                member = Member(envelope, msg.raw_message.metadata.sequence.stream, span)
                outcome = await group.handle(member, handle_group)
                if outcome is not Outcome.ALONE:
                    metrics.HANDLER_SECONDS.labels(service, durable).observe(time.perf_counter() - started)
                    await msg.ack()
                    metrics.MESSAGES_CONSUMED.labels(service, durable, outcome.value).inc()
                    return
            await handle_alone(msg, envelope, span)
        finally:
            if group is not None and not joined:
                await group.leave(handle_group)

    async def parsed(msg: NatsMessage) -> Envelope[Any] | None:
        """The message's envelope; None for a malformed one, which is dead-lettered and acknowledged."""
        try:
            envelope = model.model_validate_json(msg.body)
        except ValidationError as exc:
            log.error("malformed_message", consumer=durable, subject=subject.name, error=str(exc)[:2000])
            deliveries = msg.raw_message.metadata.num_delivered
            await dead_letter(msg, deliveries=deliveries, error=f"malformed: {exc}", message_id=None)
            await msg.ack()
            metrics.MESSAGES_CONSUMED.labels(service, durable, "malformed").inc()
            return None
        # FastStream's telemetry middleware runs this inside a CONSUMER span that continues the publisher's
        # trace; it knows the subject, and these name the message the way the rest of Inkline does.
        trace.get_current_span().set_attributes(
            {
                "messaging.message.id": str(envelope.message_id),
                "messaging.destination.name": subject.name,
                "messaging.consumer.group.name": durable,
                "messaging.message.conversation_id": envelope.correlation_id,
            }
        )
        return envelope

    async def handle_alone(msg: NatsMessage, envelope: Envelope[Any], span: Span) -> None:
        deliveries = msg.raw_message.metadata.num_delivered
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(**_log_context(envelope, durable)):
            try:
                async with uow_factory() as uow:
                    fresh = await uow.claim(
                        consumer=durable, message_id=envelope.message_id, subject=subject.name
                    )
                    if fresh:
                        await handler(uow, envelope)
                    await uow.commit()
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(StatusCode.ERROR, repr(exc)[:200])
                await _after_failure(msg, exc, deliveries=deliveries, envelope=envelope)
                return
            finally:
                metrics.HANDLER_SECONDS.labels(service, durable).observe(time.perf_counter() - started)
            await msg.ack()
            metrics.MESSAGES_CONSUMED.labels(service, durable, "handled" if fresh else "duplicate").inc()
            if not fresh:
                log.info("duplicate_ignored", subject=subject.name)

    async def _after_failure(
        msg: NatsMessage, exc: Exception, *, deliveries: int, envelope: Envelope[Any]
    ) -> None:
        if deliveries >= policy.max_deliver:
            log.error("dead_lettered", subject=subject.name, deliveries=deliveries, error=repr(exc))
            await dead_letter(
                msg, deliveries=deliveries, error=repr(exc), message_id=str(envelope.message_id)
            )
            await msg.reject()
            metrics.MESSAGES_CONSUMED.labels(service, durable, "dead_lettered").inc()
            return
        delay = policy.delay_after(deliveries)
        log.warning(
            "handler_failed", subject=subject.name, deliveries=deliveries, retry_in=delay, error=repr(exc)
        )
        await msg.nack(delay=delay)
        metrics.MESSAGES_CONSUMED.labels(service, durable, "retried").inc()

    consume.__doc__ = handler.__doc__ or f"{durable} handles {subject.name}"
    config = ConsumerConfig(
        name=durable,
        durable_name=durable,
        filter_subject=filter_subject,
        ack_policy=JetStreamAckPolicy.EXPLICIT,
        # JetStream's own limit sits above ours so that our handler, not the server, decides when a
        # message is dead: the server would drop it silently.
        max_deliver=policy.max_deliver + 2,
        ack_wait=min(policy.ack_wait_seconds, ORDERED_ACK_WAIT_SECONDS)
        if ordered
        else policy.ack_wait_seconds,
        # Ordered: the server hands out the next message only once this one is acknowledged or
        # terminated, whichever replica holds it; a nak'd one comes back before anything after it.
        max_ack_pending=1 if ordered else None,
    )
    broker.subscriber(
        filter_subject,
        stream=JStream(subject.stream, declare=False),
        durable=durable,
        pull_sub=PullSub(batch_size=1 if ordered else BATCH_SIZE, timeout=1.0),
        config=config,
        ack_policy=AckPolicy.MANUAL,
        decoder=whole_message,
        title=durable,
        description=consume.__doc__,
    )(consume)
    return config
