"""The client's answers read back to them before they go to the artist, in the client's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from inkline_contracts.text import bounded
from inkline_conversation.domain.consultation_state import FIELD_ORDER, Answers, Field
from inkline_conversation.domain.copy import Copy, Localised
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.windows import TimeWindow

# Enough date ranges to recognise one's own answer; the artist's summary shows them all.
_WINDOWS_SHOWN = 3
# Enough of a long answer to recognise it: nine of them stay far inside WhatsApp's 4,096 characters.
_VALUE_MAX_CHARS = 200


def _size(size: Size, copy: Copy) -> str:
    number = copy.formats.number
    measured = (
        f"{number(size.length_cm)}x{number(size.width_cm)} cm"
        if size.width_cm is not None
        else f"{number(size.length_cm)} cm"
    )
    # A named size ("palm", "half sleeve") is what the client said; the estimate is ours.
    return f"{size.named} (~{measured})" if size.named else measured


def _windows(windows: tuple[TimeWindow, ...], copy: Copy) -> str:
    ranges = [
        # A window ends at midnight after its last day.
        copy.formats.day_range(window.start.date(), (window.end - timedelta(microseconds=1)).date())
        for window in windows[:_WINDOWS_SHOWN]
    ]
    return ", ".join(ranges) + (", …" if len(windows) > _WINDOWS_SHOWN else "")


def _value(answers: Answers, which: Field, copy: Copy) -> str | None:
    """The answer as the client will recognise it: their own words where we kept them."""
    formats = copy.formats
    match which:
        case Field.IDEA:
            return answers.idea
        case Field.PLACEMENT:
            return answers.placement.description if answers.placement else None
        case Field.SIZE:
            return _size(answers.size, copy) if answers.size else None
        case Field.STYLE:
            style = answers.style
            return (style.description or ", ".join(style.styles)) if style else None
        case Field.REFERENCES:
            refs = answers.references
            count = len(refs.media_ids) + len(refs.links) if refs else 0
            return copy.render("read_back.references", count=count) if count else None
        case Field.BUDGET:
            budget = answers.budget
            if budget is None:
                return None
            low, high = Money(budget.min_minor, budget.currency), Money(budget.max_minor, budget.currency)
            return formats.money(high) if low == high else copy.render("read_back.range", low=low, high=high)
        case Field.LOCATION:
            place = answers.location
            return f"{place.city}, {formats.country(place.country_code)}" if place else None
        case Field.WINDOWS:
            return _windows(answers.windows, copy) if answers.windows else None
        case Field.INSTAGRAM:
            return f"@{answers.instagram.handle}" if answers.instagram else None


@dataclass(frozen=True, slots=True)
class ReadBack(Localised):
    """One line per answered question ("Budget: £400-£500"); skipped questions are left out."""

    answers: Answers

    def written_in(self, copy: Copy) -> str:
        lines: list[str] = []
        for which in FIELD_ORDER:
            value = _value(self.answers, which, copy)
            if value:
                label = copy.render(f"field.{which.value}")
                shown = bounded(" ".join(value.split()), _VALUE_MAX_CHARS)
                lines.append(copy.render("read_back.line", label=label[:1].upper() + label[1:], value=shown))
        return "\n".join(lines)
