"""Loading and rendering the keyed copy texts."""

from __future__ import annotations

import re
import string
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from inkline_contracts.languages import DEFAULT_LANGUAGE, supported_language
from inkline_conversation.domain.copy.locale_formats import LocalFormats, SlotTime
from inkline_conversation.domain.money import Money


class Localised(ABC):
    """A value that writes itself in the reader's language (a list of answers with translated labels)."""

    @abstractmethod
    def written_in(self, copy: Copy) -> str:
        """The value as text for a reader of `copy`'s language."""


ParamValue = str | int | Money | date | datetime | SlotTime | Localised


class UnknownCopyKeyError(KeyError):
    """The key is not in the language's copy file."""


class MissingPlaceholderError(KeyError):
    """A placeholder in the text was not given a value."""


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, prefix=f"{key}."))
        else:
            flat[key] = str(value)
    return flat


def placeholders_in(template: str) -> frozenset[str]:
    """The {names} a template expects."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True, slots=True)
class Copy:
    """All texts for one language, addressed by dotted key ("question.idea")."""

    language: str
    texts: Mapping[str, str]

    @staticmethod
    def load(language: str) -> Copy:
        """Load copy/<language>.toml bundled with this package."""
        return _load(language)

    @staticmethod
    def for_language(language: str) -> Copy:
        """The texts for a lead's or artist's language ("es", "pt-BR"): English for a language Inkline
        does not speak, and the English text for any key the language lacks, so a reply never fails."""
        return _for_language(supported_language(language))

    @property
    def formats(self) -> LocalFormats:
        """How money and dates read in this language."""
        return LocalFormats(self.language)

    def falling_back_to(self, other: Copy) -> Copy:
        """These texts, with `other`'s text for any key this language has not written yet."""
        return Copy(language=self.language, texts={**other.texts, **self.texts})

    def keys(self) -> frozenset[str]:
        """Every key this language defines."""
        return frozenset(self.texts)

    def placeholders(self, key: str) -> frozenset[str]:
        """The placeholders the text for `key` expects."""
        return placeholders_in(self._template(key))

    def render(self, key: str, /, **params: ParamValue) -> str:
        """The text for `key` with placeholders filled; Money, dates and slot times are written the way
        this language writes them ("£800" / "800 €", "Sat 14 Mar" / "Sa., 14. März")."""
        template = self._template(key)
        missing = placeholders_in(template) - params.keys()
        if missing:
            raise MissingPlaceholderError(f"{key} needs {sorted(missing)}")
        values = {name: self._display(value) for name, value in params.items()}
        return template.format_map(values)

    def _display(self, value: ParamValue) -> str | int:
        formats = self.formats
        match value:
            case Money():
                return formats.money(value)
            case SlotTime():
                return formats.slot(value)
            case datetime():
                return formats.moment(value)
            case date():
                return formats.day(value)
            case Localised():
                return value.written_in(self)
            case _:
                return value

    def _template(self, key: str) -> str:
        try:
            return self.texts[key]
        except KeyError:
            raise UnknownCopyKeyError(f"no copy for {key!r} in {self.language!r}") from None


@lru_cache(maxsize=8)
def _load(language: str) -> Copy:
    if re.fullmatch(r"[a-z]{2,3}(?:_[A-Za-z]{2,4})?", language) is None:
        raise UnknownCopyKeyError(f"invalid language {language!r}")
    folder = resources.files("inkline_conversation.domain.copy")
    resource = folder.joinpath(f"{language}.toml")
    if not resource.is_file():
        raise UnknownCopyKeyError(f"no copy file for language {language!r}")
    texts = _flatten(tomllib.loads(resource.read_text("utf-8")))
    # The artist's texts live in their own file (artist_<language>.toml), read in the artist's language.
    artist = folder.joinpath(f"artist_{language}.toml")
    if artist.is_file():
        artist_texts = _flatten(tomllib.loads(artist.read_text("utf-8")))
        clash = texts.keys() & artist_texts.keys()
        if clash:
            raise ValueError(f"{sorted(clash)} defined twice for {language!r}")
        texts.update(artist_texts)
    return Copy(language=language, texts=texts)


@lru_cache(maxsize=8)
def _for_language(language: str) -> Copy:
    english = _load(DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE:
        return english
    try:
        own = _load(language)
    except UnknownCopyKeyError:
        return english
    return own.falling_back_to(english)
