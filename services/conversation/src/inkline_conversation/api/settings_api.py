"""`/api/settings`: the artist's editable settings for the studio, with every saved version kept.

Behind `Authorization: Bearer <CONVERSATION_ADMIN_TOKEN>`. A save is a whole new version (who and when);
the journey reads the newest one on its next turn, so a change needs no restart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import structlog
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, SecretStr

from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory
from inkline_contracts.events.artist import ArtistSettingsChanged
from inkline_conversation.api.leads_api import bearer_guard
from inkline_conversation.db.artist_settings import (
    ArtistSettingsVersion,
    artist_settings_history,
    save_artist_settings,
)
from inkline_conversation.db.reminder_times import retime_unsent_reminders
from inkline_conversation.domain.artist_settings import ArtistSettings, applied, completed
from inkline_conversation.journey.appointments import timings_of
from inkline_conversation.settings import ConversationSettings
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class SettingsOut(BaseModel):
    settings: ArtistSettings  # complete: a field a version predates holds the environment's value
    currency: str  # the amounts' currency (settings.artist_currency, repeated for older callers)
    # None: never saved, the environment's values apply.
    changed_by: str | None
    changed_at: datetime | None


class SettingsChange(BaseModel):
    settings: ArtistSettings
    changed_by: str = Field(
        min_length=1, max_length=200, description="who saved it (the studio's signed-in person)"
    )


def settings_api_router(
    *,
    uow: UnitOfWorkFactory,
    defaults: ArtistSettings,
    token: SecretStr,
    clock: Callable[[], datetime],
    service_settings: ConversationSettings,
) -> APIRouter:
    """`service_settings`: the environment's, which saved values override (for the reminder timings)."""
    router = APIRouter(prefix="/api/settings", tags=["settings"], dependencies=[Depends(bearer_guard(token))])

    @router.get("")
    async def get_settings() -> SettingsOut:
        """The settings the next conversation uses."""
        async with uow() as work:
            latest = [
                _out(version, defaults) for version in await artist_settings_history(work.session, limit=1)
            ]
        return latest[0] if latest else _settings_out(defaults, changed_by=None, changed_at=None)

    @router.put("")
    async def save_settings(change: SettingsChange) -> SettingsOut:
        """Save a new version; the next turn of every conversation uses it."""
        async with uow() as work:
            before = [
                completed(ArtistSettings.model_validate(version.settings), defaults)
                for version in await artist_settings_history(work.session, limit=1)
            ]
            version = await save_artist_settings(
                work.session, change.settings, changed_by=change.changed_by, now=clock()
            )
            saved = _settings_out(
                completed(change.settings, defaults),
                changed_by=version.changed_by,
                changed_at=version.changed_at,
            )
            # Payments charges deposits in the artist's currency: it keeps a copy from this event rather
            # than asking conversation (published with the version, in the same transaction).
            work.publish(
                subjects.ARTIST_SETTINGS_CHANGED,
                changed_event(version, saved.settings),
                correlation_id=f"artist-settings-{version.id}",
            )
            if _reminder_hours(before[0] if before else defaults) != _reminder_hours(saved.settings):
                # Bookings already made follow the new times too, as they follow a reminder switched off.
                moved = await retime_unsent_reminders(
                    work.session,
                    timings=timings_of(applied(service_settings, saved.settings)),
                    artists_zone=ZoneInfo(service_settings.artist_timezone),
                )
                log.info("reminders_retimed", count=moved)
            await work.commit()
        log.info("artist_settings_saved", changed_by=change.changed_by)
        return saved

    @router.get("/history")
    async def settings_history(limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[SettingsOut]:
        """Saved versions, newest first."""
        async with uow() as work:
            return [
                _out(version, defaults)
                for version in await artist_settings_history(work.session, limit=limit)
            ]

    return router


def _reminder_hours(settings: ArtistSettings) -> tuple[float, float]:
    return settings.appointment_early_reminder_hours, settings.appointment_final_reminder_hours


def _out(version: ArtistSettingsVersion, defaults: ArtistSettings) -> SettingsOut:
    stored = ArtistSettings.model_validate(version.settings)
    return _settings_out(
        completed(stored, defaults), changed_by=version.changed_by, changed_at=version.changed_at
    )


def changed_event(version: ArtistSettingsVersion, settings: ArtistSettings) -> ArtistSettingsChanged:
    """What other services keep a copy of, from a completed version."""
    language, currency = settings.artist_language, settings.artist_currency
    assert language is not None, "a completed version has every field"
    assert currency is not None, "a completed version has every field"
    sizes = {size.value: size for size in SizeCategory}
    return ArtistSettingsChanged(
        version=version.id,
        language=language,
        currency=currency,
        changed_at=version.changed_at,
        # What payments charges; a size set to 0 keeps the deployment's rule (Stripe takes no zero deposit).
        deposit_by_size_minor={
            sizes[size]: amount
            for size, amount in settings.deposit_by_size_minor.items()
            if size in sizes and amount > 0
        },
    )


def _settings_out(
    settings: ArtistSettings, *, changed_by: str | None, changed_at: datetime | None
) -> SettingsOut:
    currency = settings.artist_currency
    assert currency is not None, "a completed version has every field"
    return SettingsOut(settings=settings, currency=currency, changed_by=changed_by, changed_at=changed_at)
