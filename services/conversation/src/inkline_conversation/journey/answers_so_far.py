"""The consultation's answers given so far, as short texts for the artist's records (a handover's row)."""

from __future__ import annotations

from typing import Any

from inkline_conversation.domain.consultation import state_from_dict
from inkline_conversation.domain.consultation_state import Answers

# Free text a client typed can be long; the records need enough to recognise it.
_MAX_CHARS = 500


def _money(minor: int) -> str:
    return f"{minor / 100:.2f}"


def answer_texts(answers: Answers) -> dict[str, str]:
    """Column -> text for each answered question, in the sheet's wording (sizes in cm, budgets in units)."""
    texts: dict[str, str] = {}
    if answers.idea:
        texts["idea"] = answers.idea
    if answers.placement:
        texts["placement"] = answers.placement.description
    if answers.size:
        size = answers.size
        texts["size"] = (
            f"{size.length_cm:g}x{size.width_cm:g} cm"
            if size.width_cm is not None
            else f"{size.length_cm:g} cm"
        )
    if answers.style:
        texts["style"] = answers.style.description or ", ".join(answers.style.styles)
    if answers.budget:
        budget = answers.budget
        amount = (
            _money(budget.max_minor)
            if budget.min_minor == budget.max_minor
            else f"{_money(budget.min_minor)}-{_money(budget.max_minor)}"
        )
        texts["budget"] = f"{amount} {budget.currency}"
    if answers.location:
        texts["city"] = answers.location.city
    return {column: text[:_MAX_CHARS] for column, text in texts.items() if text}


def answers_so_far(consultation: dict[str, Any] | None) -> dict[str, str]:
    """The answers of a lead's stored consultation, or none when it has not started."""
    if not consultation:
        return {}
    return answer_texts(state_from_dict(consultation).answers)
