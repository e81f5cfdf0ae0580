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

DEFAULT_LANGUAGE = "en"
# The CLDR locale a language's dates are written in (the regional form the conversation uses too).
_LOCALES = MappingProxyType(
    {"en": "en_GB", "es": "es_ES", "pt": "pt_BR", "de": "de_DE", "fr": "fr_FR", "it": "it_IT"}
)
# Stripe Checkout's own names for them (docs.stripe.com/js/appendix/supported_locales).
_CHECKOUT_LOCALES = MappingProxyType(
    {"en": "en-GB", "es": "es", "pt": "pt-BR", "de": "de", "fr": "fr", "it": "it"}
)


def _base(language: str | None) -> str:
    """ "es" of "es", "pt" of "pt-BR", "de" of "DE_at"."""
    return (language or "").strip().replace("-", "_").split("_", 1)[0].lower()


def supported(language: str | None) -> str:
    """The language payments writes for a client's: theirs when it is one of ours, else English."""
    base = _base(language)
    return base if base in _LOCALES else DEFAULT_LANGUAGE


def checkout_locale(language: str | None) -> str:
    """The `locale` a Checkout Session is created with. A language we do not write (or none) gets "auto":
    Checkout then follows the client's browser, which beats our English for a Dutch client."""
    return _CHECKOUT_LOCALES.get(_base(language), "auto")


@dataclass(frozen=True, slots=True)
class ClientCopy:
    language: str
    texts: MappingProxyType[str, str]

    @staticmethod
    def of(language: str | None) -> ClientCopy:
        return _load(supported(language))

    def text(self, key: str, **params: str) -> str:
        return self.texts[key].format(**params)

    def session_text(self, key: str, start: datetime | None, timezone: str | None) -> str:
        """`key_at` with the session's day and time on its own clock, or `key` when the time is unknown.
        A time whose clock is unknown says UTC, so it is never read as local."""
        if start is None:
            return self.text(key)
        zone = _zone(timezone)
        local = start.astimezone(zone)
        locale = _LOCALES[self.language]
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


@lru_cache(maxsize=len(_LOCALES))
def _load(language: str) -> ClientCopy:
    text = resources.files("inkline_payments.domain.copy").joinpath(f"{language}.toml").read_text("utf-8")
    return ClientCopy(language=language, texts=MappingProxyType(tomllib.loads(text)))
