"""Finding a vocabulary's terms in a message: whole phrases first, then close spellings of single words.

Vocabularies map a canonical name to the phrases clients use for it, in every language; phrases are
written without accents and messages are compared after folding theirs away ("Rücken" finds "rucken").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from inkline_conversation.domain.parsing.text import normalise, phrase_pattern, without_accents

Vocabulary = Mapping[str, tuple[str, ...]]
# A typo is forgiven only in words long enough that a near miss is not another word ("back"/"black").
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 86.0


@dataclass(frozen=True, slots=True)
class Found:
    """A canonical term, where its phrase starts in the folded text, and how long the phrase is."""

    name: str
    start: int
    length: int


def fold(text: str) -> str:
    """The form phrases are matched in: normalised, lower case, without accents."""
    return without_accents(normalise(text))


def find_all(text: str, vocabulary: Vocabulary) -> list[Found]:
    """Every term whose phrase occurs as whole words, longest phrase per term, in vocabulary order."""
    folded = fold(text)
    found: list[Found] = []
    for name, phrases in vocabulary.items():
        best: Found | None = None
        for phrase in phrases:
            match = phrase_pattern(phrase).search(folded)
            if match is not None and (best is None or match.end() - match.start() > best.length):
                best = Found(name=name, start=match.start(), length=match.end() - match.start())
        if best is not None:
            found.append(best)
    return found


def find_best(text: str, vocabulary: Vocabulary) -> Found | None:
    """The term with the longest phrase in the text (the earliest on a tie): "full back" beats "back"."""
    found = find_all(text, vocabulary)
    return min(found, key=lambda term: (-term.length, term.start)) if found else None


def find_close(text: str, vocabulary: Vocabulary) -> str | None:
    """A term one of whose single-word phrases is spelled nearly like a word of the text ("forarm")."""
    names = _single_words(tuple((name, phrases) for name, phrases in vocabulary.items()))
    phrases = tuple(names)
    for word in re.findall(r"[a-z]+", fold(text)):
        if len(word) < FUZZY_MIN_LENGTH:
            continue
        match = process.extractOne(word, phrases, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if match is not None:
            return names[match[0]]
    return None


@lru_cache(maxsize=16)
def _single_words(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    return {
        phrase: name
        for name, phrases in vocabulary
        for phrase in phrases
        if " " not in phrase and "-" not in phrase and len(phrase) >= FUZZY_MIN_LENGTH
    }
