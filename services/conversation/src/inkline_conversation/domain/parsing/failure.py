"""The shared failure value returned by every parser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why a reply could not be understood, and which copy key explains what we need instead."""

    reason: str
    hint_key: str
