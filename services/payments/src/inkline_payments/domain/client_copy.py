"""What a client reads from payments, in their own language: Checkout's line item and locale, and the
page Checkout returns them to. The conversation tells each deposit the client's language."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton, format_time

from inkline_contracts.languages import LOCALES, base_language, supported_language

# Stripe Checkout's own names for them (docs.stripe.com/js/appendix/supported_locales).
_CHECKOUT_LOCALES = MappingProxyType(
    {"en": "en-GB", "es": "es", "pt": "pt-BR", "de": "de", "fr": "fr", "it": "it"}
)


def checkout_locale(language: str | None) -> str:
    """The `locale` a Checkout Session is created with. A language we do not write (or none) gets "auto":
    Checkout then follows the client's browser, which beats our English for a Dutch client."""
    return _CHECKOUT_LOCALES.get(base_language(language), "auto")


@dataclass(frozen=True, slots=True)
class ClientCopy:
    language: str
    texts: MappingProxyType[str, str]

    @staticmethod
    def of(language: str | None) -> ClientCopy:
        return _load(supported_language(language))

    def text(self, key: str, **params: str) -> str:
        return self.texts[key].format(**params)

    def session_text(self, key: str, start: datetime | None, timezone: str | None) -> str:
        """`key_at` with the session's day and time on its own clock, or `key` when the time is unknown.
        A time whose clock is unknown says UTC, so it is never read as local."""
        if start is None:
            return self.text(key)
        zone = _zone(timezone)
        local = start.astimezone(zone)
        locale = LOCALES[self.language]
        day = format_skeleton("MMMEd", local, locale=locale)
        time = format_time(local, "HH:mm", locale=locale)
        return self.text(f"{key}_at", day=day, time=time if zone is not UTC else f"{time} UTC")


def _zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


@lru_cache(maxsize=len(LOCALES))
def _load(language: str) -> ClientCopy:
    text = resources.files("inkline_payments.domain.copy").joinpath(f"{language}.toml").read_text("utf-8")
    return ClientCopy(language=language, texts=MappingProxyType(tomllib.loads(text)))
