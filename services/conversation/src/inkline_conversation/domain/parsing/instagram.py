"""Instagram handles ("@ink.lover_92", "instagram.com/foo", "my ig is foo") or a declined answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import is_later, is_skip, normalise

HINT = "repair.instagram"
_HANDLE = r"[a-z0-9._]{1,30}"
_URL = re.compile(rf"(?:https?://)?(?:www\.)?(?:instagram\.com|instagr\.am)/({_HANDLE})")
_AT = re.compile(rf"(?<![a-z0-9.])@({_HANDLE})")
_INTRODUCED = re.compile(
    rf"(?<![a-z])(?:ig|insta|instagram|handle|username|user name)(?:\s+(?:handle|name|account|username))?"
    # "is", or the same word in es/pt/de/fr/it ("mi ig es …", "su ig sono …", "mein insta ist …").
    rf"\s*(?:is|=|:|-|'s|es|e|eh|ist|est|sono|c'est)?\s*({_HANDLE})(?![a-z0-9._])"
)
_TRAILING = re.compile(rf"^(?:it's|its|it is|i'm|im)?\s*({_HANDLE})\s+on\s+(?:ig|insta|instagram)$")
# Profile-path segments and everyday words that fit the handle pattern but are never the answer.
_RESERVED = frozenset(
    {
        "p",
        "reel",
        "reels",
        "stories",
        "explore",
        "accounts",
        "is",
        "my",
        "the",
        "on",
        "it",
        "what",
        "why",
        "huh",
        "yes",
        "yeah",
        "yep",
        "sure",
        "ok",
        "okay",
        "hi",
        "hello",
        "hey",
        "idk",
        "maybe",
        "later",
        "es",
        "ist",
        "est",
        "sono",
    }
)


@dataclass(frozen=True, slots=True)
class InstagramHandle:
    """A normalised handle without the leading @."""

    handle: str


@dataclass(frozen=True, slots=True)
class InstagramSkipped:
    """The client has no Instagram or would rather not say."""


def _valid(handle: str) -> str | None:
    handle = handle.rstrip(".")
    if not handle or handle in _RESERVED or handle.startswith(".") or ".." in handle:
        return None
    return handle


def parse_instagram(text: str) -> InstagramHandle | InstagramSkipped | ParseFailure:
    """Extract a handle from an @mention, a profile link, "my ig is …", or a bare handle."""
    cleaned = normalise(text)
    if is_skip(cleaned) or is_later(cleaned):
        return InstagramSkipped()
    for pattern in (_URL, _AT, _INTRODUCED):
        match = pattern.search(cleaned)
        if match is not None and (handle := _valid(match.group(1))) is not None:
            return InstagramHandle(handle=handle)
    trailing = _TRAILING.match(cleaned)
    if trailing is not None and (handle := _valid(trailing.group(1))) is not None:
        return InstagramHandle(handle=handle)
    bare = cleaned.strip(" !")
    if re.fullmatch(_HANDLE, bare) and re.search(r"[a-z]", bare) and (handle := _valid(bare)) is not None:
        return InstagramHandle(handle=handle)
    return ParseFailure(reason="no_handle", hint_key=HINT)


def find_instagram(text: str) -> InstagramHandle | None:
    """A handle only when clearly marked (@, link or "my ig is"), for picking it out of a longer message."""
    cleaned = normalise(text)
    for pattern in (_URL, _AT, _INTRODUCED):
        match = pattern.search(cleaned)
        if match is not None and (handle := _valid(match.group(1))) is not None:
            return InstagramHandle(handle=handle)
    return None
