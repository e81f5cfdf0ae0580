"""The periodic pass: catch up deferred messages, nudge stalled consultations, remind the artist.

Run by one replica at a time (ServiceRuntime.every); each lead is handled in its own transaction under
its row lock, and every nudge is counted on the lead in that transaction, so a pass can be repeated or
interrupted without sending anything twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog

from inkline_conversation.domain.consultation import state_from_dict
from inkline_conversation.domain.consultation_confirmation import prompt_for
from inkline_conversation.domain.statuses import ActionKind, LeadStatus
from inkline_conversation.journey.artist_messages import send_lead_summary
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.inbox import process_pending
from inkline_conversation.journey.repositories import RepositoriesOf, UnitsOfWork
from inkline_conversation.journey.turn import LeadTurn, open_turn

log = structlog.get_logger(__name__)

_CONSULTING = (LeadStatus.NEW.value, LeadStatus.CONSULTING.value)


class Reminders:
    def __init__(self, uow: UnitsOfWork, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._uow = uow
        self._config = config
        self._repositories = repositories

    async def run(self) -> None:
        await self.catch_up()
        await self.nudge_stalled_consultations()
        await self.remind_artist()

    async def _each(self, lead_ids: list[uuid.UUID], step: Callable[[LeadTurn], Awaitable[bool]]) -> int:
        done = 0
        for lead_id in lead_ids:
            async with self._uow() as work:
                turn = await open_turn(
                    work, self._repositories(work), self._config, lead_id, causation_id=None
                )
                if turn is not None and await step(turn):
                    done += 1
                await work.commit()
        return done

    async def catch_up(self) -> int:
        """Answer bursts that were deferred and messages whose event never arrived."""
        now = self._config.clock()
        # Younger messages are left to their own consumer; older unprocessed ones were deferred or lost.
        quiet_since = now - timedelta(seconds=self._config.settings.catch_up_after_seconds)
        async with self._uow() as work:
            lead_ids = await self._repositories(work).inbound.leads_quiet_with_unprocessed(quiet_since, 100)

        async def step(turn: LeadTurn) -> bool:
            return await process_pending(turn) > 0

        return await self._each(lead_ids, step)

    async def nudge_stalled_consultations(self) -> int:
        settings = self._config.settings
        now = self._config.clock()
        first = min(settings.consult_reminder_hours, default=settings.consult_abandon_hours)
        async with self._uow() as work:
            lead_ids = await self._repositories(work).leads.silent_since(
                _CONSULTING, now - timedelta(hours=first), 200
            )
        return await self._each(lead_ids, self._nudge)

    async def _nudge(self, turn: LeadTurn) -> bool:
        settings = self._config.settings
        lead = turn.lead
        if (
            lead.status not in _CONSULTING
            or lead.last_inbound_at is None
            or lead.consultation.get("completed")
        ):
            return False
        silent_for = turn.now - lead.last_inbound_at
        if silent_for >= timedelta(hours=settings.consult_abandon_hours):
            turn.change_status(LeadStatus.ABANDONED, reason="no answer to the consultation")
            return True
        due = sorted(settings.consult_reminder_hours)
        if lead.reminders_sent >= len(due) or silent_for < timedelta(hours=due[lead.reminders_sent]):
            return False
        lead.reminders_sent += 1
        if turn.contact.opted_out:
            return True
        turn.say(f"reminder.consultation_{min(lead.reminders_sent, 2)}", purpose="consult_reminder")
        if lead.consultation:
            state = state_from_dict(lead.consultation)
            turn.say_reply(prompt_for(state, turn.config.consultation), purpose="consult_reminder")
        return True

    async def remind_artist(self) -> int:
        """A lead waiting on the artist's decision gets its summary sent again, once, with fresh links."""
        now = self._config.clock()
        stale = now - timedelta(hours=self._config.settings.approval_reminder_hours)
        async with self._uow() as work:
            lead_ids = await self._repositories(work).leads.undecided_since(
                (LeadStatus.QUALIFIED.value, LeadStatus.BELOW_MINIMUM.value), stale, 100
            )

        async def step(turn: LeadTurn) -> bool:
            if turn.lead.artist_reminded_at is not None or turn.lead.qualified is None:
                return False
            turn.lead.artist_reminded_at = turn.now
            await send_lead_summary(
                turn,
                headline="reminder",
                actions=(ActionKind.APPROVE, ActionKind.REJECT, ActionKind.TAKE_OVER),
            )
            return True

        return await self._each(lead_ids, step)
