"""Client- and artist-facing texts, one data file per language (copy/<language>.toml)."""

from inkline_conversation.domain.copy.catalogue import (
    Copy,
    Localised,
    MissingPlaceholderError,
    ParamValue,
    UnknownCopyKeyError,
)
from inkline_conversation.domain.copy.locale_formats import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LocalFormats,
    SlotTime,
    supported_language,
)

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
