"""Turning one message into answers: the asked question's parser plus clear mentions of other fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from inkline_conversation.domain.consultation_state import Answers, AnswerValue, Field
from inkline_conversation.domain.parsing.budget import parse_budget
from inkline_conversation.domain.parsing.currency import find_currency
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.idea import parse_idea
from inkline_conversation.domain.parsing.instagram import InstagramSkipped, find_instagram, parse_instagram
from inkline_conversation.domain.parsing.location import Location, load_gazetteer, parse_location
from inkline_conversation.domain.parsing.placement import Placement, find_placement, parse_placement
from inkline_conversation.domain.parsing.places import fold_name
from inkline_conversation.domain.parsing.references import References, ReferencesSkipped, parse_references
from inkline_conversation.domain.parsing.size import Size, parse_size
from inkline_conversation.domain.parsing.style import Style, StyleSkipped, find_styles, parse_style
from inkline_conversation.domain.parsing.text import normalise, without_accents
from inkline_conversation.domain.parsing.windows import parse_windows

_MONEY_MARKER = re.compile(
    r"[£€$]|(?<![a-z])(budget|quid|pounds?|euros?|dollars?|bucks|gbp|eur|usd|aud|cad|grand)(?![a-z])"
)
_LOCATION_CUE = re.compile(
    r"(?<![a-z])(?:i'm|im|i am|we're|we are)\s+(?:based\s+)?in\s+|(?<![a-z])(?:based|living|live)\s+in\s+"
    r"|(?<![a-z])(?:i'm|im|i am)\s+from\s+"
    # es, pt, de, fr, it (compared without accents): "vivo en", "moro em", "ich wohne in", "je suis à"
    r"|(?<![a-z])(?:vivo|estoy|soy\s+de|resido)\s+(?:en\s+)?(?=[a-z])|(?<![a-z])(?:moro|vivo|estou)\s+(?:em|no|na)\s+"
    r"|(?<![a-z])sou\s+de\s+|(?<![a-z])(?:ich\s+)?(?:wohne|lebe|bin)\s+(?:in|aus)\s+"
    r"|(?<![a-z])(?:je\s+suis|j'habite|je\s+vis|j'vis)\s+(?:a|sur|de|pres\s+de)\s+"
    r"|(?<![a-z])(?:sono|vivo|abito|sto)\s+(?:a|di|in|da)\s+"
)


@dataclass(frozen=True, slots=True)
class FieldContext:
    """What the parsers need beyond the text itself."""

    currency: str
    now: datetime
    tz: tzinfo
    horizon_days: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """An optional question the client declined."""


FieldResult = AnswerValue | Skipped | ParseFailure


def parse_field(which: Field, text: str, *, context: FieldContext) -> FieldResult:
    """Parse a reply as the answer to the question that was asked."""
    if which is Field.IDEA:
        return parse_idea(text)
    if which is Field.PLACEMENT:
        return parse_placement(text)
    if which is Field.SIZE:
        return parse_size(text)
    if which is Field.STYLE:
        style = parse_style(text)
        return Skipped() if isinstance(style, StyleSkipped) else style
    if which is Field.REFERENCES:
        references = parse_references(text)
        return Skipped() if isinstance(references, ReferencesSkipped) else references
    if which is Field.BUDGET:
        return parse_budget(text, currency=context.currency)
    if which is Field.LOCATION:
        return parse_location(text)
    if which is Field.WINDOWS:
        windows = parse_windows(text, now=context.now, tz=context.tz, horizon_days=context.horizon_days)
        return windows if isinstance(windows, ParseFailure) else tuple(windows)
    instagram = parse_instagram(text)
    return Skipped() if isinstance(instagram, InstagramSkipped) else instagram


def is_weak(value: FieldResult) -> bool:
    """Free-text answers we accept only when the message says nothing more specific."""
    if isinstance(value, Placement):
        return value.area is None
    if isinstance(value, Style):
        return not value.styles
    if isinstance(value, References):
        return not value.links and not value.media_ids
    return False


def is_no_answer(text: str, result: FieldResult, *, question: bool, about_idea: bool) -> bool:
    """A question or small talk is never an answer: "how much will it cost?" is not an idea, "¿haces
    color?" no style, "hola, ¿qué tal?" or "keine Ahnung" no placement (only free text can take them)."""
    if about_idea:
        return True
    return is_weak(result) and (question or isinstance(parse_idea(text), ParseFailure))


def _mentioned(which: Field, text: str, *, context: FieldContext) -> AnswerValue | None:
    if which is Field.PLACEMENT:
        return find_placement(text)
    if which is Field.SIZE:
        size = parse_size(text)
        # A named size in passing ("a rose on my palm") is usually the place, not the size: ask instead.
        return size if isinstance(size, Size) and size.named is None else None
    if which is Field.STYLE:
        styles = find_styles(text)
        return Style(styles=styles, description=text.strip()) if styles else None
    if which is Field.BUDGET and (_MONEY_MARKER.search(normalise(text)) or find_currency(text) is not None):
        budget = parse_budget(text, currency=context.currency)
        return None if isinstance(budget, ParseFailure) else budget
    if which is Field.LOCATION:
        folded = without_accents(normalise(text))
        cue = _LOCATION_CUE.search(folded)
        if cue is None:
            return None
        return _place_right_after(folded[cue.end() :])
    if which is Field.INSTAGRAM:
        return find_instagram(text)
    return None


def extract_mentions(
    text: str, *, answers: Answers, asked: Field, context: FieldContext
) -> dict[Field, AnswerValue]:
    """Clear answers to other unanswered questions inside the message (never idea or dates)."""
    found: dict[Field, AnswerValue] = {}
    for which in Field:
        if which in {asked, Field.IDEA, Field.WINDOWS, Field.REFERENCES} or answers.is_answered(which):
            continue
        value = _mentioned(which, text, context=context)
        if value is not None:
            found[which] = value
    return found


def _place_right_after(rest: str) -> Location | None:
    """The city the cue introduces, only when it starts right after it.

    "I am in Leeds" names a place; "I am in love with roses" does not, although Roses is a town in Spain. The
    gazetteer finds a name anywhere in the text, so the first word must be part of what it found: without it,
    the same city must no longer come out ("york" is not "new york"; "with roses" still finds Roses).
    """
    location = parse_location(rest)
    # Only gazetteer cities: the free-text city fallback is too loose for a sentence about something else.
    if isinstance(location, ParseFailure) or fold_name(location.city) not in load_gazetteer().cities:
        return None
    _, _, after_first_word = rest.strip().partition(" ")
    without_it = parse_location(after_first_word) if after_first_word else None
    if isinstance(without_it, Location) and without_it.city == location.city:
        return None
    return location
