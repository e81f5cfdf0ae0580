"""The Settings screen: what the assistant tells clients and how it books, kept (with its history) by the
conversation service; a save applies to the next message the assistant handles, without a restart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.adapters.service_api import ServiceRefusedError
from inkline_studio.adapters.settings_api import ArtistSettingsApi
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.db.people import get_person
from inkline_studio.domain.settings_form import (
    CURRENCIES,
    FAQ_TOPICS,
    LANGUAGES,
    SIZES,
    FormError,
    form_values,
    settings_from_form,
)

HISTORY_SHOWN = 5
# The form's tick boxes, by the name of the setting each one is.
_FLAGS = {
    "artist_does_cover_ups": "artist_does_cover_ups",
    "artist_does_colour": "artist_does_colour",
    "early_reminder_on": "appointment_early_reminder_on",
    "final_reminder_on": "appointment_final_reminder_on",
}


def settings_pages_router(
    *, api: ArtistSettingsApi, pages: Pages, guard: Callable[[Request], SignedIn], uow: UnitOfWorkFactory
) -> APIRouter:
    router = APIRouter(prefix="/settings", tags=["settings"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def settings_page(
        request: Request,
        *,
        typed: Mapping[str, str] | None = None,
        error: str | None = None,
        saved: bool = False,
        status_code: int = 200,
    ) -> Response:
        current = await api.current()
        history = await api.history(limit=HISTORY_SHOWN)
        values = form_values(current.settings, current.currency)
        flags = {field: bool(current.settings.get(setting, True)) for field, setting in _FLAGS.items()}
        if typed is not None:
            values.update({key: typed.get(key, "") for key in values})
            flags = {key: typed.get(key) == "on" for key in flags}
        return pages.render(
            request,
            "settings.html",
            values=values,
            flags=flags,
            sizes=SIZES,
            languages=LANGUAGES,
            currencies=CURRENCIES if current.currency in CURRENCIES else (current.currency, *CURRENCIES),
            faq_topics=FAQ_TOPICS,
            currency=current.currency,
            history=history,
            saved=saved,
            error=error,
            screen="settings",
            status_code=status_code,
        )

    @router.get("", response_class=HTMLResponse)
    async def show_settings(request: Request, saved: Annotated[bool, Query()] = False) -> Response:
        return await settings_page(request, saved=saved)

    @router.post("", dependencies=[csrf])
    async def save_settings(request: Request) -> Response:
        person = guard(request)  # the router's guard has let this request in; this names who it is
        form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
        current = await api.current()
        try:
            changed: dict[str, Any] = settings_from_form(form, current.settings)
        except FormError as exc:
            return await settings_page(request, typed=form, error=str(exc), status_code=422)
        async with uow() as work:
            found = await get_person(work.session, person_id=person.person_id)
            # Who saved it, as the service's history shows it: the person's name (identity stays here).
            changed_by = found.name if found is not None else str(person.person_id)
        try:
            await api.save(changed, changed_by=changed_by)
        except ServiceRefusedError as exc:
            message = exc.detail if exc.status_code != 422 else "One of the values is out of range."
            return await settings_page(request, typed=form, error=message, status_code=422)
        return RedirectResponse("/settings?saved=true", status.HTTP_303_SEE_OTHER)

    return router
