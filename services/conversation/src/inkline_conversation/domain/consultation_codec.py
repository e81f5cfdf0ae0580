"""Converting ConsultationState to and from a JSON-able dict for storage."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from inkline_conversation.domain.consultation_state import Answers, ConsultationState, Field
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.calendar_words import DayPart
from inkline_conversation.domain.parsing.instagram import InstagramHandle
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.references import References
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.style import Style
from inkline_conversation.domain.parsing.windows import TimeWindow

SCHEMA_VERSION = 1
JsonDict = dict[str, Any]


class StateFormatError(ValueError):
    """Stored state has an unknown version or shape."""


def _zone_key(zone: tzinfo | None) -> str | None:
    return zone.key if isinstance(zone, ZoneInfo) else None


def _window_to_dict(window: TimeWindow) -> JsonDict:
    return {
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        # The IANA name survives DST changes; a bare offset from isoformat() would not.
        "tz": _zone_key(window.start.tzinfo),
        "day_parts": sorted(part.value for part in window.day_parts),
    }


def _window_from_dict(data: JsonDict) -> TimeWindow:
    start, end = datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])
    if data.get("tz"):
        zone = ZoneInfo(data["tz"])
        start, end = start.astimezone(zone), end.astimezone(zone)
    return TimeWindow(start=start, end=end, day_parts=frozenset(DayPart(part) for part in data["day_parts"]))


def answers_to_dict(answers: Answers) -> JsonDict:
    """Answers as plain JSON types; absent answers are omitted."""
    data: JsonDict = {"skipped": sorted(which.value for which in answers.skipped)}
    if answers.idea is not None:
        data["idea"] = answers.idea
    if answers.placement is not None:
        placement = answers.placement
        data["placement"] = {
            "area": placement.area,
            "side": placement.side,
            "description": placement.description,
        }
    if answers.size is not None:
        size = answers.size
        data["size"] = {
            "length_cm": size.length_cm,
            "width_cm": size.width_cm,
            "approximate": size.approximate,
        }
        if size.named is not None:
            data["size"]["named"] = size.named
    if answers.style is not None:
        data["style"] = {"styles": list(answers.style.styles), "description": answers.style.description}
    if answers.references is not None:
        refs = answers.references
        data["references"] = {"media_ids": list(refs.media_ids), "links": list(refs.links), "note": refs.note}
    if answers.budget is not None:
        budget = answers.budget
        data["budget"] = {
            "min_minor": budget.min_minor,
            "max_minor": budget.max_minor,
            "currency": budget.currency,
        }
    if answers.location is not None:
        data["location"] = {"city": answers.location.city, "country_code": answers.location.country_code}
    if answers.windows is not None:
        data["windows"] = [_window_to_dict(window) for window in answers.windows]
    if answers.instagram is not None:
        data["instagram"] = {"handle": answers.instagram.handle}
    return data


def answers_from_dict(data: JsonDict) -> Answers:
    """Rebuild typed answers from answers_to_dict output."""
    placement = data.get("placement")
    size = data.get("size")
    style = data.get("style")
    refs = data.get("references")
    budget = data.get("budget")
    location = data.get("location")
    windows = data.get("windows")
    instagram = data.get("instagram")
    return Answers(
        idea=data.get("idea"),
        placement=Placement(**placement) if placement else None,
        size=Size(**size) if size else None,
        style=Style(styles=tuple(style["styles"]), description=style["description"]) if style else None,
        references=References(
            media_ids=tuple(refs["media_ids"]), links=tuple(refs["links"]), note=refs["note"]
        )
        if refs
        else None,
        budget=BudgetRange(**budget) if budget else None,
        location=Location(**location) if location else None,
        windows=tuple(_window_from_dict(window) for window in windows) if windows is not None else None,
        instagram=InstagramHandle(**instagram) if instagram else None,
        skipped=frozenset(Field(value) for value in data.get("skipped", ())),
    )


def state_to_dict(state: ConsultationState) -> JsonDict:
    """The state as plain JSON types, tagged with a schema version."""
    return {
        "version": SCHEMA_VERSION,
        "current": state.current.value,
        "answers": answers_to_dict(state.answers),
        "strikes": {which.value: count for which, count in state.strikes.items() if count},
        "completed": state.completed,
        "handed_over": state.handed_over,
        "confirming": state.confirming,
        "wording": {which.value: text for which, text in state.wording.items()},
    }


def state_from_dict(data: JsonDict) -> ConsultationState:
    """Rebuild state from state_to_dict output; raises StateFormatError for unknown versions or shapes."""
    if data.get("version") != SCHEMA_VERSION:
        raise StateFormatError(f"unsupported consultation state version {data.get('version')!r}")
    try:
        return ConsultationState(
            current=Field(data["current"]),
            answers=answers_from_dict(data["answers"]),
            strikes={Field(name): int(count) for name, count in data["strikes"].items()},
            completed=bool(data["completed"]),
            handed_over=bool(data["handed_over"]),
            # Stored before the read-back existed: such a consultation was never shown its answers.
            confirming=bool(data.get("confirming", False)),
            wording={Field(name): str(text) for name, text in data.get("wording", {}).items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise StateFormatError(f"malformed consultation state: {error}") from error
