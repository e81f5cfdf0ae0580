"""Which offered appointment slot the client chose ("2", "the second one", "Friday afternoon", "14/3 2pm")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from inkline_conversation.domain.parsing.calendar_words import (
    DAY_PART_HOURS,
    DayPart,
    find_clock_times,
    find_dates,
    find_day_parts,
    find_weekdays,
)
from inkline_conversation.domain.parsing.date_words import in_english
from inkline_conversation.domain.parsing.text import core_words, normalise, without_accents

_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    # es, pt, de, fr, it (compared without accents); "segunda" alone is the Spanish ordinal, "sexta"
    # alone is the Portuguese Friday (see calendar_words), as people answer a short list.
    "primero": 1, "primera": 1, "primer": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
    "tercer": 3, "primeiro": 1, "primeira": 1, "terceiro": 3, "terceira": 3,
    "erste": 1, "ersten": 1, "erster": 1, "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3,
    "premier": 1, "premiere": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3,
    "primo": 1, "prima": 1, "secondo": 2, "terzo": 3, "terza": 3,
}  # fmt: skip
_LAST_WORDS = frozenset(
    {"last", "latest", "ultimo", "ultima", "letzte", "letzten", "letzter", "dernier", "derniere"}
)
# Words that may surround an option number without changing its meaning ("option 2 please").
_OPTION_FILLER = frozenset(
    {
        "option",
        "opt",
        "number",
        "no",
        "num",
        "slot",
        "the",
        "one",
        "i'll",
        "ill",
        "take",
        "go",
        "for",
        "with",
        "choose",
        "pick",
        "want",
        "i",
        "id",
        "i'd",
        "like",
        "please",
        "pls",
        "thanks",
        "ta",
        "yes",
        "yeah",
        "that",
        "is",
        "fine",
        "great",
        "perfect",
        "works",
        "ok",
        "okay",
        "let's",
        "lets",
        "do",
        "book",
        "me",
        "in",
        "a",
        # Two options named together stay two options ("either 1 or 2 is fine", "1 oder 3, beides ok").
        "either", "or", "both", "any", "of", "them", "oder", "beides", "beide", "o", "ou", "oppure",
        # Articles and fillers in es, pt, de, fr, it: "la segunda", "le premier", "l'ultimo", "die erste".
        "el", "la", "lo", "los", "las", "le", "les", "l", "il", "die", "der", "das", "den", "os", "as",
        "um", "uma", "un", "una", "une", "uno", "opcion", "opcao", "opzione", "nummer", "numero",
        "porfa", "por", "favor", "bitte", "gerne", "stp", "svp", "grazie", "merci", "gracias", "obrigado",
        "obrigada", "va", "vale", "bien", "bom", "bueno", "bene", "gut", "passt", "quiero", "quero",
        "voglio", "je", "prends", "prendo", "nehme", "ich", "nimm", "quedo", "con", "com", "mit",
    }
)  # fmt: skip
_US_STYLE_ZONES = ("America/", "US/")


@dataclass(frozen=True, slots=True)
class OfferedSlot:
    """An appointment slot we offered, with timezone-aware bounds."""

    slot_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Picked:
    """The client chose exactly one slot."""

    slot_id: str


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """Several slots fit what the client said."""

    candidate_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoMatch:
    """Nothing the client said points at an offered slot."""


SlotChoice = Picked | Ambiguous | NoMatch


def _by_position(text: str, slots: list[OfferedSlot]) -> SlotChoice | None:
    words = core_words(without_accents(text.replace("#", " ").replace("'", " ")))
    positions: set[int] = set()
    for word in words:
        if word.isdigit():
            positions.add(int(word))
        elif word in _ORDINAL_WORDS:
            positions.add(_ORDINAL_WORDS[word])
        elif word in _LAST_WORDS:
            positions.add(len(slots))
        elif word not in _OPTION_FILLER:
            return None
    positions.discard(0)
    if not positions and "one" in words:
        # "one" is usually "the second one"; it names option 1 only when nothing else does.
        positions.add(1)
    if len(positions) > 1:
        # "either 1 or 2 is fine": both are offered back rather than one picked for the client.
        named = [slots[position - 1].slot_id for position in sorted(positions) if position <= len(slots)]
        return Ambiguous(candidate_ids=tuple(named)) if len(named) > 1 else None
    if not positions:
        return None
    position = positions.pop()
    if position > len(slots):
        return NoMatch()
    return Picked(slot_id=slots[position - 1].slot_id)


def _starts_in_part(slot: OfferedSlot, tz: tzinfo, parts: frozenset[DayPart]) -> bool:
    hour = slot.start.astimezone(tz).hour
    return any(DAY_PART_HOURS[part][0] <= hour < DAY_PART_HOURS[part][1] for part in parts)


def _by_description(text: str, slots: list[OfferedSlot], tz: tzinfo) -> SlotChoice:
    today = min(slot.start.astimezone(tz).date() for slot in slots)
    day_first = not str(tz).startswith(_US_STYLE_ZONES)
    dates = {mention.day for mention in find_dates(text, today=today, day_first=day_first)}
    weekdays = find_weekdays(text)
    parts = find_day_parts(text)
    times = set(find_clock_times(text))
    if not (dates or weekdays or parts or times):
        return NoMatch()
    candidates = []
    for slot in slots:
        local = slot.start.astimezone(tz)
        if (
            dates
            and local.date() not in dates
            and not any(
                # A bare "the 14th" resolved against the earliest slot can land in the wrong month.
                day.day == local.day
                for day in dates
            )
        ):
            continue
        if weekdays and local.weekday() not in weekdays:
            continue
        if parts and not _starts_in_part(slot, tz, parts):
            continue
        if times and local.time().replace(second=0, microsecond=0) not in times:
            continue
        candidates.append(slot.slot_id)
    if not candidates:
        return NoMatch()
    if len(candidates) == 1:
        return Picked(slot_id=candidates[0])
    return Ambiguous(candidate_ids=tuple(candidates))


def parse_slot_pick(text: str, *, slots: list[OfferedSlot], tz: tzinfo) -> SlotChoice:
    """Match a reply (interactive id, option number, ordinal or date/time description) to an offered slot."""
    if not slots:
        return NoMatch()
    stripped = text.strip()
    for slot in slots:
        if stripped == slot.slot_id:
            return Picked(slot_id=slot.slot_id)
    cleaned = normalise(stripped)
    positional = _by_position(cleaned, slots)
    if positional is not None:
        return positional
    if re.fullmatch(r"[\W_]*", cleaned):
        return NoMatch()
    # "mardi soir", "Samstag vormittag", "sexta": days and parts of the day in any of the six languages.
    return _by_description(in_english(cleaned), slots, tz)
