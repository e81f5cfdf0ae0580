"""Client- and artist-facing texts, one data file per language (copy/<language>.toml)."""

from inkline_conversation.domain.copy.catalogue import (
    Copy,
    MissingPlaceholderError,
    ParamValue,
    UnknownCopyKeyError,
)

__all__ = ["Copy", "MissingPlaceholderError", "ParamValue", "UnknownCopyKeyError"]
