"""Text normalisation shared by the parsers and intent detection."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})

# Politeness and padding that people wrap around a one-word answer ("stop please", "no thanks mate").
FILLER_WORDS = frozenset(
    {
        "please",
        "pls",
        "plz",
        "thanks",
        "thx",
        "ta",
        "thank",
        "cheers",
        "mate",
        "hun",
        "ok",
        "okay",
        "just",
        "now",
        "sorry",
        "hi",
        "hey",
        "hello",
        "um",
        "umm",
        "erm",
        "uh",
        "oh",
        "lol",
        "haha",
    }
)


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and dashes, collapse whitespace."""
    cleaned = text.translate(_APOSTROPHES).translate(_DASHES).lower()
    return re.sub(r"\s+", " ", cleaned).strip()


def without_accents(text: str) -> str:
    """The text with accents and similar marks folded away ("arrête" → "arrete", "złoty" → "zloty")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def core_words(text: str, *, fillers: Iterable[str] = FILLER_WORDS) -> list[str]:
    """Words of the message with emoji, punctuation and leading/trailing filler words removed."""
    words = re.findall(r"[a-z0-9]+(?:['/\-][a-z0-9]+)*", normalise(text))
    filler = frozenset(fillers)
    while words and words[0] in filler:
        words.pop(0)
    while words and words[-1] in filler:
        words.pop()
    return words


def core_text(text: str, *, fillers: Iterable[str] = FILLER_WORDS) -> str:
    """The message reduced to its essential words, joined by single spaces."""
    return " ".join(core_words(text, fillers=fillers))


# The vocabularies (places, styles, intents in every language) hold over a thousand phrases, each matched
# against every message: a cache smaller than that cycles and compiles most of them again per message.
@lru_cache(maxsize=8192)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern for a phrase; spaces inside it also match hyphens or nothing-between words."""
    parts = [re.escape(part) for part in phrase.lower().split()]
    body = r"[\s\-]*".join(parts)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def has_phrase(text: str, phrase: str) -> bool:
    """Whether the phrase occurs as whole words in already-normalised text."""
    return phrase_pattern(phrase).search(text) is not None


SKIP_PATTERNS = (
    r"no",
    r"nope",
    r"nah",
    r"naw",
    r"no no",
    r"skip",
    r"skip it",
    r"skip this",
    r"none",
    r"nothing",
    r"pass",
    r"n/a",
    r"na",
    r"not really",
    r"no thank you",
    r"no i don't",
    r"no i dont",
    r"i don't",
    r"i dont",
    r"(?:i )?(?:don't|dont|do not) have (?:one|any|it|them|an account)",
    r"(?:i )?(?:don't|dont|do not) have (?:an? )?(?:instagram|insta|ig)(?: account)?",
    r"(?:i'm |im |i am )?not on (?:instagram|insta|ig)",
    r"(?:i )?(?:don't|dont|do not) use (?:instagram|insta|ig)",
    r"no (?:instagram|insta|ig|refs|references|pics|pictures|photos)",
    r"(?:i )?(?:haven't|havent|have not) got (?:one|any)",
    r"not needed",
    r"no need",
    r"no style",
    r"no preference",
    r"just the idea",
    r"only the idea",
    # Not on social media, or would rather keep it private.
    r"(?:i )?(?:don't|dont|do not) use (?:it|social media|socials|social)",
    r"(?:i'm |im |i am )?not on (?:social media|socials|social)",
    r"no social media",
    r"(?:it's |its |my account is |my profile is )?private(?: account| profile)?",
    # es, pt, de, fr, it (compared without accents)
    r"nein",
    r"non",
    r"nao",
    r"nee",
    r"no tengo(?: \w+)?",
    r"nao tenho(?: \w+)?",
    r"non (?:ce l'ho|ho \w+|lo uso)",
    r"(?:ich )?(?:hab|habe) (?:ich )?(?:keins|keine|keinen|nicht)(?: \w+)?",
    r"kein \w+",
    r"(?:je n'ai|j'ai) pas(?: d'\w+| de \w+)?",
    r"pas d'\w+",
    r"no uso(?: \w+)*",
    r"nao uso(?: \w+)*",
    r"non uso(?: \w+)*",
    r"solo la idea",
    r"so a ideia",
    r"nur die idee",
    r"juste l'idee",
    r"solo l'idea",
)
_SKIP_RE = re.compile(r"^(?:(?:no|nope|nah|sorry|honestly)\s+)?(?:" + "|".join(SKIP_PATTERNS) + r")$")


def is_skip(text: str) -> bool:
    """Whether the reply declines an optional question ("no", "skip", "don't have one")."""
    core = core_text(without_accents(text))
    if not core:
        return text.strip() in {"-", "x"}
    return _SKIP_RE.match(core) is not None


# "Later" in every language clients write in: an optional answer put off is a skip for now.
_LATER = re.compile(
    r"(?<![a-z])(?:later|tomorrow|another time|not yet|not right now|spater|morgen|luego|mas tarde|despues"
    r"|manana|depois|mais tarde|amanha|plus tard|demain|dopo|piu tardi|domani)(?![a-z])"
)


def is_later(text: str) -> bool:
    """Whether the reply puts the answer off ("I'll send them later", "schick ich dir später")."""
    return _LATER.search(without_accents(normalise(text))) is not None


def fold_place_name(text: str) -> str:
    """The key a place name is stored and looked up by: folded, with hyphens and dots as spaces."""
    folded = without_accents(normalise(text)).replace("-", " ").replace(".", " ")
    return re.sub(r"\s+", " ", folded).strip()
