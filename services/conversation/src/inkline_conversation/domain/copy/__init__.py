"""Client- and artist-facing texts, one data file per language (copy/<language>.toml)."""

from inkline_contracts.languages import DEFAULT_LANGUAGE, LANGUAGES, supported_language
from inkline_conversation.domain.copy.catalogue import (
    Copy,
    Localised,
    MissingPlaceholderError,
    ParamValue,
    UnknownCopyKeyError,
)
from inkline_conversation.domain.copy.locale_formats import LocalFormats, SlotTime

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Copy",
    "LocalFormats",
    "Localised",
    "MissingPlaceholderError",
    "ParamValue",
    "SlotTime",
    "UnknownCopyKeyError",
    "supported_language",
]
