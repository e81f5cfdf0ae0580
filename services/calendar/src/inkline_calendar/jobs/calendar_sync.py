"""Drains the calendar write queue: inserts, patches and deletes events, with persisted exponential backoff.

Each job runs in its own transaction holding the job's row lock, so the outcome (done, retry later,
failed) and the message announcing it commit together, and a crash mid-call leaves the job pending for
the next run. A retried insert cannot duplicate the event: its id is derived from the booking id, and a
patch (a reschedule) moves that same event.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from inkline_calendar.adapters.calendar_port import (
    BookingEvent,
    CalendarPort,
    CalendarRejectedError,
    CalendarUnavailableError,
    CreatedEvent,
)
from inkline_calendar.db import calendar_jobs
from inkline_calendar.db.models import CalendarJob
from inkline_calendar.domain.retries import RetrySchedule
from inkline_contracts import subjects
from inkline_contracts.events.booking import CalendarEventCreated, CalendarEventFailed
from inkline_contracts.events.system import Severity, SystemAlert
from inkline_platform.clock import Clock
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)

# What the artist is told when a delete or a patch gives up (a failed insert has its own event).
_ALERTS = {
    calendar_jobs.DELETE: (
        "calendar_event_not_deleted",
        "the event of cancelled booking {booking_id} is still in the calendar",
    ),
    calendar_jobs.PATCH: (
        "calendar_event_not_moved",
        "the event of rescheduled booking {booking_id} still shows the old time",
    ),
}


class CalendarSync:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        calendar: CalendarPort,
        clock: Clock,
        schedule: RetrySchedule,
        service: str,
        batch_size: int = 50,
    ) -> None:
        self._uow = uow
        self._calendar = calendar
        self._clock = clock
        self._schedule = schedule
        self._service = service
        self._batch_size = batch_size

    async def run(self) -> None:
        """One tick of the periodic job."""
        await self.run_due()

    async def run_due(self) -> int:
        """Work through every job due now; returns how many were attempted."""
        async with self._uow() as uow:
            ids = await calendar_jobs.due_job_ids(uow.session, now=self._clock(), limit=self._batch_size)
        attempted = 0
        for job_id in ids:
            attempted += await self._run_one(job_id)
        return attempted

    async def _run_one(self, job_id: int) -> int:
        async with self._uow() as uow:
            job = await calendar_jobs.lock_pending_job(uow.session, job_id)
            if job is None:
                return 0
            try:
                if job.action == calendar_jobs.INSERT:
                    self._created(uow, job, await self._calendar.insert_event(_booking_event(job)))
                elif job.action == calendar_jobs.PATCH:
                    await self._patch(uow, job)
                else:
                    await self._calendar.delete_event(job.event_id)
            except CalendarUnavailableError as error:
                self._failed(uow, job, str(error), retryable=True)
            except CalendarRejectedError as error:
                self._failed(uow, job, str(error), retryable=False)
            except Exception as error:
                # An unforeseen failure still counts as an attempt, so a bug cannot retry forever.
                self._failed(uow, job, repr(error), retryable=True)
            else:
                job.attempts += 1
                job.state = "done"
                job.finished_at = self._clock()
                log.info("calendar_write_done", action=job.action, booking_id=str(job.booking_id))
            await uow.commit()
        return 1

    async def _patch(self, uow: UnitOfWork, job: CalendarJob) -> None:
        event = _booking_event(job)
        patched = await self._calendar.patch_event(event)
        if patched is not None:
            job.html_link = patched.html_link
            return
        # The event is not there (its insert gave up, or someone removed it by hand): the booking still
        # needs one, under the same id, so a later patch or delete finds it.
        self._created(uow, job, await self._calendar.insert_event(event))

    @staticmethod
    def _created(uow: UnitOfWork, job: CalendarJob, created: CreatedEvent) -> None:
        job.html_link = created.html_link
        uow.publish(
            subjects.CALENDAR_EVENT_CREATED,
            CalendarEventCreated(
                booking_id=job.booking_id,
                lead_id=job.lead_id,
                event_id=created.event_id,
                html_link=created.html_link,
            ),
            correlation_id=str(job.lead_id),
            causation_id=job.causation_id,
        )

    def _failed(self, uow: UnitOfWork, job: CalendarJob, error: str, *, retryable: bool) -> None:
        now = self._clock()
        job.attempts += 1
        job.last_error = error[:2000]
        if retryable and not self._schedule.gives_up_after(job.attempts):
            job.next_attempt_at = now + self._schedule.delay_after(job.attempts)
            log.warning("calendar_write_retry", action=job.action, attempts=job.attempts, error=error)
            return
        job.state = "failed"
        job.finished_at = now
        log.error("calendar_write_failed", action=job.action, attempts=job.attempts, error=error)
        if job.action == calendar_jobs.INSERT:
            uow.publish(
                subjects.CALENDAR_EVENT_FAILED,
                CalendarEventFailed(
                    booking_id=job.booking_id, lead_id=job.lead_id, attempts=job.attempts, error=error[:500]
                ),
                correlation_id=str(job.lead_id),
                causation_id=job.causation_id,
            )
        else:
            kind, message = _ALERTS[job.action]
            uow.publish(
                subjects.SYSTEM_ALERT,
                SystemAlert(
                    service=self._service,
                    kind=kind,
                    message=message.format(booking_id=job.booking_id),
                    severity=Severity.WARNING,
                    details={"event_id": job.event_id, "error": error[:500]},
                ),
                correlation_id=str(job.lead_id),
                causation_id=job.causation_id,
            )


def event_summary(details: dict[str, str]) -> str:
    """The title the artist scans in their calendar: whom the session is with, how big, where."""
    size = details["size_category"].replace("_", " ")
    client = details.get("client_name")
    who = f" with {client}" if client else ""
    return f"Tattoo session{who} ({size}), {details['city']}"


def _booking_event(job: CalendarJob) -> BookingEvent:
    details = job.details
    return BookingEvent(
        booking_id=job.booking_id,
        event_id=job.event_id,
        start=datetime.fromisoformat(details["start"]),
        end=datetime.fromisoformat(details["end"]),
        time_zone=details["time_zone"],
        summary=event_summary(details),
        description=f"Booked through Inkline.\nBooking {job.booking_id}\nLead {job.lead_id}",
    )
