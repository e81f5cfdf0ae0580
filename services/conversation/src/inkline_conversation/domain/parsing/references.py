"""Reference pictures: photos sent as media, links, a note, or a skip."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_text, is_later, is_skip, without_accents

HINT = "repair.references"
_LINK = re.compile(r"https?://\S+|(?<![\w@])(?:www\.)?(?:pinterest|pin|instagram|tiktok|imgur)\.[a-z.]+/\S*")
# "Yes" alone promises pictures that have not arrived yet.
_PROMISES = frozenset(
    {"yes", "yeah", "yep", "yup", "sure", "i do", "yes i do", "i have", "yes i have", "ya", "y",
     "si", "sim", "ja", "oui", "tengo", "tenho", "ho", "hab ich", "j'en ai"}
)  # fmt: skip
# Saying there are pictures (on the phone, saved, about to be sent) without sending any: ask for them.
_PICTURES_PROMISED = re.compile(
    r"(?<![a-z])(?:i'll send|i will send|i can send|ill send|i have (?:some|a few|a couple|one|them|loads)"
    r"|i've got (?:some|a few|a couple|one)|on my phone|saved|screenshots?"
    r"|tengo (?:unas|algunas|varias|una)|en el (?:movil|celular)|guardadas?"
    r"|tenho (?:umas|algumas|varias|uma)|no (?:celular|telemovel)|salvas?"
    r"|(?:hab|habe) (?:ein paar|einige|welche)|auf dem handy|gespeichert"
    r"|j'en ai (?:quelques|plusieurs|une)|sur mon (?:telephone|tel|portable)|enregistrees?"
    r"|ne ho (?:un paio|alcune|qualcuna|una)|sul telefono|salvate|salvati)(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class References:
    """Reference material gathered so far: media ids, links and any note about them."""

    media_ids: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReferencesSkipped:
    """The client has no references to share."""


def parse_references(text: str) -> References | ReferencesSkipped | ParseFailure:
    """Links or a description count as references; "yes" without pictures asks for them."""
    core = core_text(without_accents(text))
    if is_skip(text) or is_later(text):
        return ReferencesSkipped()
    links = tuple(match.group(0).rstrip(".,!)") for match in _LINK.finditer(text))
    if links:
        return References(links=links, note=text.strip())
    if not core or core in _PROMISES or _PICTURES_PROMISED.search(core):
        return ParseFailure(reason="no_media", hint_key=HINT)
    return References(note=text.strip())
