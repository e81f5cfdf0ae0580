"""The consultation's persisted state: which questions are answered, the current one, and strikes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.instagram import InstagramHandle
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.references import References
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.style import Style
from inkline_conversation.domain.parsing.windows import TimeWindow


class Field(StrEnum):
    """A consultation question, in the order they are asked."""

    IDEA = "idea"
    PLACEMENT = "placement"
    SIZE = "size"
    STYLE = "style"
    REFERENCES = "references"
    BUDGET = "budget"
    LOCATION = "location"
    WINDOWS = "windows"
    INSTAGRAM = "instagram"


FIELD_ORDER: tuple[Field, ...] = tuple(Field)
OPTIONAL_FIELDS = frozenset({Field.STYLE, Field.REFERENCES, Field.INSTAGRAM})

_VALUE_TYPES: dict[Field, type] = {
    Field.IDEA: str,
    Field.PLACEMENT: Placement,
    Field.SIZE: Size,
    Field.STYLE: Style,
    Field.REFERENCES: References,
    Field.BUDGET: BudgetRange,
    Field.LOCATION: Location,
    Field.WINDOWS: tuple,
    Field.INSTAGRAM: InstagramHandle,
}

AnswerValue = (
    str
    | Placement
    | Size
    | Style
    | References
    | BudgetRange
    | Location
    | tuple[TimeWindow, ...]
    | InstagramHandle
)


@dataclass(frozen=True, slots=True)
class Answers:
    """Typed answers so far; a field is answered when it has a value or was skipped."""

    idea: str | None = None
    placement: Placement | None = None
    size: Size | None = None
    style: Style | None = None
    references: References | None = None
    budget: BudgetRange | None = None
    location: Location | None = None
    windows: tuple[TimeWindow, ...] | None = None
    instagram: InstagramHandle | None = None
    skipped: frozenset[Field] = frozenset()

    def value(self, which: Field) -> AnswerValue | None:
        """The stored value for a field, or None."""
        stored: AnswerValue | None = getattr(self, which.value)
        return stored

    def is_answered(self, which: Field) -> bool:
        """Whether the field has a value or was skipped."""
        return which in self.skipped or self.value(which) is not None

    def with_value(self, which: Field, value: AnswerValue) -> Answers:
        """A copy with the field set; raises TypeError if the value is not that field's type."""
        if not isinstance(value, _VALUE_TYPES[which]):
            raise TypeError(f"{which.value} cannot hold {type(value).__name__}")
        changes: dict[str, Any] = {which.value: value}
        return replace(self, **changes)

    def with_skipped(self, which: Field) -> Answers:
        """A copy with an optional field marked as skipped."""
        return replace(self, skipped=self.skipped | {which})


@dataclass(frozen=True, slots=True)
class ConsultationState:
    """Everything the machine needs between messages; persist it with consultation_codec."""

    current: Field = Field.IDEA
    answers: Answers = Answers()
    strikes: dict[Field, int] = field(default_factory=dict)
    completed: bool = False
    handed_over: bool = False
    # Every question is answered and the client was shown their answers: the next reply sends or corrects.
    confirming: bool = False
    # The client's own message that gave each answer, for the artist to read next to what was understood.
    wording: dict[Field, str] = field(default_factory=dict)

    def next_unanswered(self) -> Field | None:
        """The first question in order that still needs an answer."""
        return next((which for which in FIELD_ORDER if not self.answers.is_answered(which)), None)
