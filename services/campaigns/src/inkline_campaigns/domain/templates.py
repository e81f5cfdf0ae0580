"""Approved WhatsApp templates and how a campaign fills their parameters from contact fields."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

CONTACT_FIELDS = ("profile_name", "city", "country_code", "style")
ContactField = Literal["profile_name", "city", "country_code", "style"]


class FieldParameter(BaseModel):
    """Take the value from the contact; `fallback` when the contact has none (else they are skipped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: ContactField
    fallback: str | None = Field(default=None, min_length=1, max_length=200)


class FixedParameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(min_length=1, max_length=200)


Parameter = Annotated[FieldParameter | FixedParameter, Field(union_mode="left_to_right")]


@dataclass(frozen=True)
class Template:
    name: str
    languages: tuple[str, ...]
    parameters: tuple[str, ...]
    """What each positional body parameter ({{1}}, {{2}}, ...) means, for people writing campaigns."""


class TemplateMismatchError(ValueError):
    """The campaign's template, language or parameters do not fit an approved template."""


def check_fit(
    template: Template | None, *, name: str, language: str, parameters: Sequence[Parameter]
) -> None:
    """Raise a TemplateMismatchError a person can act on, or return when the campaign can be launched."""
    if template is None:
        raise TemplateMismatchError(f"template {name!r} is not in the registry of approved templates")
    if language not in template.languages:
        raise TemplateMismatchError(
            f"template {name!r} is approved in {', '.join(template.languages)}, not {language!r}"
        )
    if len(parameters) != len(template.parameters):
        expected = ", ".join(template.parameters) or "none"
        raise TemplateMismatchError(
            f"template {name!r} takes {len(template.parameters)} parameter(s) ({expected}); "
            f"the campaign gives {len(parameters)}"
        )


def render_parameters(parameters: Sequence[Parameter], contact: Mapping[str, str | None]) -> list[str] | None:
    """The body parameters for one contact, or None when a field is missing and has no fallback."""
    values: list[str] = []
    for parameter in parameters:
        if isinstance(parameter, FixedParameter):
            values.append(parameter.value)
            continue
        value = contact.get(parameter.field) or parameter.fallback
        if not value:
            return None
        values.append(value)
    return values


_BLANK = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def fill_body(body: str, values: Sequence[str]) -> str:
    """The template's words with `{{1}}`, `{{2}}`, ... replaced as WhatsApp does; a blank with no value
    stays as written, so a mismatch shows instead of hiding."""

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return values[index] if 0 <= index < len(values) else match.group(0)

    return _BLANK.sub(value, body)
