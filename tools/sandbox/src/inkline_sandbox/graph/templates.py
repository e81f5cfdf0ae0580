"""The message templates the fake's WhatsApp Business Account has approved, per name and language.

Meta refuses a template send whose name has no approved translation in the requested language with
HTTP 404 and error 132001 ("Template name does not exist in the translation"), naming both in the details.
The fake holds one registry, seeded with every template Inkline sends in each language it writes in;
a test that sends another template registers it (`GraphState.templates.register`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from inkline_sandbox.graph.errors import GraphRequestError, error_body

# Meta's codes of the languages Inkline writes in (inkline_contracts.languages: Portuguese is pt_BR).
INKLINE_LANGUAGES = ("en", "es", "pt_BR", "de", "fr", "it")

# Written out rather than imported: the fake stands for what was approved in WhatsApp Manager, not for the
# services' settings. The notifier's fallbacks (a purpose's free-form text outside the 24 h window), the
# conversation's appointment messages, and the campaigns' seeded templates.
INKLINE_TEMPLATES = (
    "inkline_consult_followup",
    "inkline_slot_options",
    "inkline_deposit_link",
    "inkline_booking_confirmed",
    "inkline_artist_lead_summary",
    "inkline_artist_alert",
    "inkline_update",
    # The artist's summaries and handovers with quick-reply buttons, and a reply relayed to a client.
    "inkline_artist_lead_decision",
    "inkline_artist_lead_decision_short",
    "inkline_artist_chat_handover",
    "inkline_artist_reply",
    "appointment_reminder",
    "aftercare_evening",
    "aftercare_check_in",
    "healed_photo_request",
    "still_interested",
    "deposit_reminder",
    "tour_update",
    "flash_day",
    "last_minute_slot",
)

TEMPLATE_NOT_IN_TRANSLATION = 132001


class TemplateRegistry:
    """Approved (name, language code) pairs; thread-safe, as the app and tests share it."""

    def __init__(
        self, templates: Iterable[str] = INKLINE_TEMPLATES, languages: Iterable[str] = INKLINE_LANGUAGES
    ) -> None:
        self._lock = threading.Lock()
        codes = tuple(languages)
        self._approved = {(name, code) for name in templates for code in codes}

    def register(self, name: str, *languages: str) -> None:
        """Approve `name` in each of `languages` (all of Inkline's when none are given)."""
        with self._lock:
            self._approved.update((name, code) for code in languages or INKLINE_LANGUAGES)

    def approved(self, name: str, language: str) -> bool:
        with self._lock:
            return (name, language) in self._approved

    def check(self, name: str, language: str) -> None:
        """Raise the `GraphRequestError` Meta answers a send of an unapproved name/translation with."""
        if not self.approved(name, language):
            raise GraphRequestError(
                404,
                error_body(
                    TEMPLATE_NOT_IN_TRANSLATION,
                    f"(#{TEMPLATE_NOT_IN_TRANSLATION}) Template name does not exist in the translation",
                    details=f"template name ({name}) does not exist in {language}",
                ),
            )
