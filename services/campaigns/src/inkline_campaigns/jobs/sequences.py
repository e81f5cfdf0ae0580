"""Running nurture sequences: a durable periodic job sends each due step once, never a sleep.

The enrollment row holds the next step and when it is due; sending the step, recording it and moving the
enrollment on commit together with the outbox row, so a restart resumes exactly where it stopped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from inkline_campaigns.db.contacts import contact_facts, contact_fields
from inkline_campaigns.db.models import Contact, Enrollment, Sequence, StepSend
from inkline_campaigns.domain.consent import SkipReason
from inkline_campaigns.domain.eligibility import Later, MarketingRules, Skip
from inkline_campaigns.domain.sequences import SequenceDefinition, StopReason
from inkline_campaigns.domain.templates import render_parameters
from inkline_contracts import subjects
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_platform.clock import Clock, utc_now
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory


@dataclass
class SequenceRunner:
    uow: UnitOfWorkFactory
    rules: MarketingRules
    clock: Clock = utc_now
    batch_size: int = 200

    async def run(self) -> None:
        """The periodic job."""
        await self.tick()

    async def tick(self) -> int:
        """Handle every due step; returns how many messages were handed to the notifier."""
        sent_total = 0
        while True:
            sent, seen = await self._batch(self.clock())
            sent_total += sent
            if seen < self.batch_size:
                return sent_total

    async def _batch(self, now: datetime) -> tuple[int, int]:
        async with self.uow() as uow:
            rows = (
                await uow.session.execute(
                    select(Enrollment, Sequence.definition, Contact)
                    .join(Sequence, Sequence.sequence_id == Enrollment.sequence_id)
                    .join(Contact, Contact.wa_id == Enrollment.wa_id)
                    .where(Enrollment.state == "active", Enrollment.next_due_at <= now)
                    .order_by(Enrollment.next_due_at)
                    .limit(self.batch_size)
                    .with_for_update(of=[Enrollment, Contact], skip_locked=True)
                )
            ).all()
            sent = 0
            for enrollment, definition, contact in rows:
                sent += await self._step(
                    uow, enrollment, SequenceDefinition.model_validate(definition), contact, now
                )
            await uow.commit()
            return sent, len(rows)

    async def _step(
        self,
        uow: UnitOfWork,
        enrollment: Enrollment,
        definition: SequenceDefinition,
        contact: Contact,
        now: datetime,
    ) -> int:
        if not definition.active:
            _stop(enrollment, StopReason.DEACTIVATED)
            return 0
        if enrollment.next_step >= len(definition.steps):  # the sequence was shortened meanwhile
            _stop(enrollment, StopReason.COMPLETED)
            return 0
        step = definition.steps[enrollment.next_step]
        decision = self.rules.decide(contact_facts(contact), now=now)
        capped_until = contact.last_marketing_at and contact.last_marketing_at + self.rules.cap.period
        if isinstance(decision, Skip) and decision.reason is SkipReason.FREQUENCY_CAP and capped_until:
            # A nurture step waits for the cap rather than being lost.
            enrollment.next_due_at = capped_until
            return 0
        if isinstance(decision, Skip) and decision.reason is SkipReason.OPTED_OUT:
            _stop(enrollment, StopReason.OPTED_OUT)
            return 0
        if isinstance(decision, Later):
            enrollment.next_due_at = decision.at
            return 0
        values = render_parameters(step.parameters, contact_fields(contact))
        message_id: uuid.UUID | None = None
        if isinstance(decision, Skip):
            outcome = f"skipped_{decision.reason.value}"
        elif values is None:
            outcome = f"skipped_{SkipReason.MISSING_PARAMETER.value}"
        else:
            envelope = uow.publish(
                subjects.NOTIFY_SEND,
                SendMessage(
                    to=contact.wa_id,
                    content=TemplateContent(
                        name=step.template, language=step.language, body_parameters=values
                    ),
                    category=Category.MARKETING,
                    purpose=f"nurture:{step.template}",
                ),
                correlation_id=str(enrollment.lead_id or f"sequence:{enrollment.sequence_id}"),
            )
            message_id = envelope.message_id
            contact.last_marketing_at = now
            outcome = "sent"
        uow.session.add(
            StepSend(enrollment_id=enrollment.enrollment_id, step=enrollment.next_step, message_id=message_id,
                     outcome=outcome, at=now)
        )  # fmt: skip
        enrollment.next_step += 1
        if enrollment.next_step >= len(definition.steps):
            enrollment.state = "completed"
            enrollment.stop_reason = StopReason.COMPLETED.value
            enrollment.next_due_at = None
        else:
            enrollment.next_due_at = now + timedelta(hours=definition.steps[enrollment.next_step].delay_hours)
        return 1 if message_id else 0


def _stop(enrollment: Enrollment, reason: StopReason) -> None:
    enrollment.state = "stopped"
    enrollment.stop_reason = reason.value
    enrollment.next_due_at = None
