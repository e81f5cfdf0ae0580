"""WhatsApp messages as the journey builds them, cut to the limits libs/contracts' notify.py declares.

The one place a text is shortened to fit WhatsApp: the limits are read from the contract's fields, so
they cannot drift from what the notifier accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from annotated_types import MaxLen
from pydantic import BaseModel

from inkline_contracts.events.notify import (
    TEMPLATE_PARAMETER_MAX_LENGTH,
    ButtonsContent,
    ListContent,
    ListRow,
    ReplyButton,
    TextContent,
)
from inkline_contracts.text import bounded

# Room the template's own words leave its parameter (Meta counts them towards the same limit): the artist's
# templates say little beyond it ("{{1}}", "{{1}} replied: {{2}}"). A summary fits ARTIST_BUDGET (900) with
# its line breaks; as " · " each break takes two characters more, which this room also leaves for.
_TEMPLATE_WORDS = 64
TEMPLATE_ROOM = TEMPLATE_PARAMETER_MAX_LENGTH - _TEMPLATE_WORDS
"""The most text one template parameter carries."""


@cache
def max_length(model: type[BaseModel], field: str) -> int:
    """The contract's max_length for `field` of `model`."""
    for constraint in model.model_fields[field].metadata:
        if isinstance(constraint, MaxLen):
            return constraint.max_length
    raise LookupError(f"{model.__name__}.{field} declares no max_length")


def _cut(model: type[BaseModel], field: str, value: str) -> str:
    return value[: max_length(model, field)]


def text(body: str, *, reply_to: str | None = None) -> TextContent:
    """A text; `reply_to` (a wamid in the same chat) shows that message quoted above it."""
    return TextContent(body=_cut(TextContent, "body", body), reply_to=reply_to)


def buttons(body: str, choices: Sequence[tuple[str, str]]) -> ButtonsContent:
    """A message with reply buttons; `choices` are (id, title) pairs."""
    return ButtonsContent(
        body=_cut(ButtonsContent, "body", body),
        buttons=[
            ReplyButton(id=_cut(ReplyButton, "id", id_), title=_cut(ReplyButton, "title", title))
            for id_, title in choices
        ],
    )


def list_row(id_: str, title: str, description: str) -> ListRow:
    return ListRow(
        id=_cut(ListRow, "id", id_),
        title=_cut(ListRow, "title", title),
        description=_cut(ListRow, "description", description),
    )


def list_message(body: str, *, button: str, section_title: str, rows: Sequence[ListRow]) -> ListContent:
    """A tappable list; rows beyond WhatsApp's maximum are left out."""
    return ListContent(
        body=_cut(ListContent, "body", body),
        button=_cut(ListContent, "button", button),
        section_title=_cut(ListContent, "section_title", section_title),
        rows=list(rows[: max_length(ListContent, "rows")]),
    )


def template_parameter(text: str) -> str:
    """Text as one template body parameter: Meta refuses newlines there, and more than its limit.

    Its lines are kept apart by " · ", so a summary still reads label by label on one line.
    """
    return bounded(one_line(text), TEMPLATE_ROOM)


def one_line(text: str) -> str:
    """Text on one line, its lines kept apart by " · " (Meta refuses newlines in a template parameter)."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return " · ".join(line for line in lines if line)
