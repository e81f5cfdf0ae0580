from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from inkline_contracts.schemas import current_schemas, incompatibilities, load_snapshots
from inkline_contracts.text import TRUNCATES, ShortText, bounded


def test_committed_snapshots_match_the_contracts() -> None:
    committed = load_snapshots()
    current = current_schemas()

    removed = sorted(set(committed) - set(current))
    assert not removed, f"subjects removed while consumers may still use them: {removed}"
    broken = {
        name: incompatibilities(committed[name], schema)
        for name, schema in current.items()
        if name in committed
    }
    broken = {name: problems for name, problems in broken.items() if problems}
    assert not broken, f"incompatible schema changes need a new subject version (…v2): {broken}"
    stale = sorted(name for name, schema in current.items() if committed.get(name) != schema)
    assert not stale, f"compatible change or new subject: run `python -m inkline_contracts.schemas`: {stale}"


class Colour(StrEnum):
    RED = "red"


class MoreColour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    value: int


class InnerPlus(BaseModel):
    value: int
    note: str | None = None


class V1(BaseModel):
    name: str
    inner: Inner
    colour: Colour
    tags: list[str] = []


def _schema(model: type[BaseModel]) -> dict[str, object]:
    return model.model_json_schema()


def test_a_new_optional_field_at_any_depth_is_compatible() -> None:
    class V2(BaseModel):
        name: str
        inner: InnerPlus
        colour: Colour
        tags: list[str] = []
        nickname: str | None = None

    assert incompatibilities(_schema(V1), _schema(V2)) == []


def test_a_removed_field_is_incompatible() -> None:
    class V2(BaseModel):
        inner: Inner
        colour: Colour
        tags: list[str] = []

    assert incompatibilities(_schema(V1), _schema(V2)) == ["$.name: removed"]


def test_a_new_required_field_is_incompatible() -> None:
    class V2(BaseModel):
        name: str
        inner: Inner
        colour: Colour
        tags: list[str] = []
        city: str

    assert incompatibilities(_schema(V1), _schema(V2)) == ["$.city: now required"]


def test_a_retyped_field_is_incompatible() -> None:
    class V2(BaseModel):
        name: int
        inner: Inner
        colour: Colour
        tags: list[str] = []

    problems = incompatibilities(_schema(V1), _schema(V2))
    assert len(problems) == 1
    assert problems[0].startswith("$.name: changed")


def test_a_new_enum_value_is_incompatible_because_old_consumers_reject_it() -> None:
    class V2(BaseModel):
        name: str
        inner: Inner
        colour: MoreColour
        tags: list[str] = []

    problems = incompatibilities(_schema(V1), _schema(V2))
    assert len(problems) == 1
    assert problems[0].startswith("$.colour: changed")


def test_a_changed_list_item_type_is_incompatible() -> None:
    class V2(BaseModel):
        name: str
        inner: Inner
        colour: Colour
        tags: list[int] = []

    assert incompatibilities(_schema(V1), _schema(V2))[0].startswith("$.tags[]: changed")


def test_a_truncating_bound_on_a_string_is_compatible() -> None:
    class V2(BaseModel):
        name: ShortText
        inner: Inner
        colour: Colour
        tags: list[str] = []

    assert incompatibilities(_schema(V1), _schema(V2)) == []


def test_a_bound_that_rejects_longer_text_is_incompatible() -> None:
    class V2(BaseModel):
        name: str = Field(max_length=200)
        inner: Inner
        colour: Colour
        tags: list[str] = []

    problems = incompatibilities(_schema(V1), _schema(V2))
    assert len(problems) == 1
    assert problems[0].startswith("$.name: changed")


def test_a_truncating_bound_may_become_tighter_but_not_rejecting() -> None:
    class Truncating(BaseModel):
        name: ShortText

    class Tighter(BaseModel):
        name: Annotated[
            str,
            BeforeValidator(lambda value: bounded(value, 50)),
            Field(max_length=50, json_schema_extra={TRUNCATES: True}),
        ]

    class Rejecting(BaseModel):
        name: str = Field(max_length=200)

    assert incompatibilities(_schema(Truncating), _schema(Tighter)) == []
    assert incompatibilities(_schema(Truncating), _schema(Rejecting)) != []
