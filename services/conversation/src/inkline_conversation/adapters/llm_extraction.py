"""Optional model-based reading of a client's message: any OpenAI-compatible chat-completions endpoint
(OpenAI, Azure OpenAI, vLLM, Ollama) asked for the consultation's fields with a JSON schema.

The wire format: `POST {base}/chat/completions` with `{"model", "messages", "response_format": {"type":
"json_schema", "json_schema": {"name", "strict": true, "schema"}}}`; the answer is
`{"choices": [{"message": {"content": "<JSON text>", "refusal": null}, "finish_reason": "stop"}]}`, an
error `{"error": {"message", "type", "code"}}` with a 4xx/5xx status. A refusal, an error, a timeout or
anything that does not match the schema is "nothing read": the rules' reading stands.

What the model returns is only ever text for a field; the consultation parses it with the same parsers
as the client's own words before anything is stored. Opt-out never goes through here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any, Protocol

import httpx
import structlog
from pydantic import BaseModel, SecretStr, ValidationError

from inkline_conversation.domain.consultation_state import Field

log = structlog.get_logger(__name__)

# References are pictures and links: the rules read those exactly, a model adds nothing.
EXTRACTABLE: tuple[Field, ...] = tuple(which for which in Field if which is not Field.REFERENCES)
_DESCRIPTIONS: dict[Field, str] = {
    Field.IDEA: "what the client wants tattooed, in their words",
    Field.PLACEMENT: "where on the body, in their words",
    Field.SIZE: "the size as they gave it, with its unit (e.g. '10x15 cm', '4 inches', 'palm-sized')",
    Field.STYLE: "the tattoo style they name (e.g. 'fine line', 'blackwork')",
    Field.BUDGET: "the budget as they wrote it, with its currency (e.g. '400-500 GBP', 'max 300 €')",
    Field.LOCATION: "the city and country they live in (e.g. 'Porto Alegre, Brazil')",
    Field.WINDOWS: "when they could come, as they wrote it (e.g. 'weekends in June', 'not before 10 May')",
    Field.INSTAGRAM: "their Instagram handle, with @",
}
_SYSTEM = (
    "You read one WhatsApp message from a client booking a tattoo. Copy into each field only what the message "
    "itself says for it, in the client's own words and language; null when it says nothing for that field. "
    "Never guess, never convert currencies or units, never fill a field from another."
)


def response_schema() -> dict[str, Any]:
    """The consultation's fields as a strict JSON schema: every key required, each a string or null."""
    return {
        "type": "object",
        "properties": {
            which.value: {"type": ["string", "null"], "description": _DESCRIPTIONS[which]}
            for which in EXTRACTABLE
        },
        "required": [which.value for which in EXTRACTABLE],
        "additionalProperties": False,
    }


class FieldExtractor(Protocol):
    async def extract(self, text: str, *, asked: Field) -> Mapping[Field, str]:
        """Text for each field the message speaks to; empty when nothing could be read."""
        ...


class _Message(BaseModel):
    content: str | None = None
    refusal: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _Completion(BaseModel):
    choices: list[_Choice]


class OpenAICompatibleExtractor:
    """The one real FieldExtractor: httpx against `{base_url}/chat/completions`."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr,
        model: str,
        timeout_seconds: float,
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._api_key = api_key
        self._model = model
        self._timeout = timeout_seconds

    def request_body(self, text: str, *, asked: Field) -> dict[str, Any]:
        return {
            "model": self._model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": _SYSTEM},
                {"role": "user", "content": f"The question just asked was about: {asked.value}.\n\n{text}"},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "consultation_fields", "strict": True, "schema": response_schema()},
            },
        }

    async def extract(self, text: str, *, asked: Field) -> Mapping[Field, str]:
        headers = {"Authorization": f"Bearer {self._api_key.get_secret_value()}"}
        try:
            # One deadline for the whole call: httpx's own timeouts are per read, not per answer.
            async with (
                asyncio.timeout(self._timeout),
                httpx.AsyncClient(timeout=self._timeout) as client,
            ):
                response = await client.post(
                    self._url, json=self.request_body(text, asked=asked), headers=headers
                )
        except (TimeoutError, httpx.HTTPError) as error:
            log.warning("llm_unavailable", error=type(error).__name__)
            return {}
        if response.status_code != httpx.codes.OK:
            log.warning("llm_error", status=response.status_code, code=_error_code(response))
            return {}
        return _fields(response)


def _error_code(response: httpx.Response) -> str | None:
    try:
        error = response.json().get("error") or {}
    except (json.JSONDecodeError, AttributeError):
        return None
    code = error.get("code") or error.get("type") if isinstance(error, dict) else None
    return str(code) if code else None


def _fields(response: httpx.Response) -> Mapping[Field, str]:
    try:
        completion = _Completion.model_validate(response.json())
    except (json.JSONDecodeError, ValidationError):
        log.warning("llm_unreadable_answer")
        return {}
    choice = completion.choices[0] if completion.choices else None
    if (
        choice is None
        or choice.message.refusal
        or not choice.message.content
        or choice.finish_reason == "length"
    ):
        log.info("llm_read_nothing", refused=bool(choice and choice.message.refusal))
        return {}
    try:
        data = json.loads(choice.message.content)
    except json.JSONDecodeError:
        log.warning("llm_unreadable_answer")
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        which: value.strip()
        for which in EXTRACTABLE
        if isinstance(value := data.get(which.value), str) and value.strip()
    }
