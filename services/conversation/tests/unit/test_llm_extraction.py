"""The model reader against a local fake of an OpenAI-compatible chat-completions endpoint: the request it
sends, structured output read back, and errors, refusals and timeouts read as "nothing"."""

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from inkline_conversation.adapters.llm_extraction import EXTRACTABLE, OpenAICompatibleExtractor
from inkline_conversation.domain.consultation_state import Field
from inkline_sandbox.server import serve_in_background

Answer = Callable[[dict[str, Any]], Awaitable[JSONResponse]]


class FakeOpenAI:
    """`POST /v1/chat/completions` the way OpenAI answers it, served over real HTTP on a loopback port;
    `answer` decides what comes back."""

    def __init__(self, answer: Answer) -> None:
        self.requests: list[tuple[dict[str, Any], str]] = []
        self.app = FastAPI()

        @self.app.post("/v1/chat/completions")
        async def completions(request: Request) -> JSONResponse:
            body = await request.json()
            self.requests.append((body, request.headers.get("authorization", "")))
            return await answer(body)

    async def extract(
        self, text: str, *, asked: Field, timeout_seconds: float = 5.0, then: Callable[[], None] | None = None
    ) -> Mapping[Field, str]:
        """The reader's answer; `then` runs once it has answered, while the fake still serves."""
        with serve_in_background(self.app) as url:
            extractor = OpenAICompatibleExtractor(
                base_url=f"{url}/v1",
                api_key=SecretStr("sk-test"),
                model="gpt-test",
                timeout_seconds=timeout_seconds,
            )
            read = await extractor.extract(text, asked=asked)
            if then is not None:
                then()
            return read


def completion(content: str | None, *, refusal: str | None = None, finish: str = "stop") -> JSONResponse:
    return JSONResponse(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-test",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "finish_reason": finish,
                }
            ],
            "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
        }
    )


def fields(**values: str | None) -> str:
    return json.dumps({which.value: values.get(which.value) for which in EXTRACTABLE})


async def test_the_request_asks_for_the_consultation_fields_as_a_strict_json_schema() -> None:
    async def answer(body: dict[str, Any]) -> JSONResponse:
        return completion(fields())

    fake = FakeOpenAI(answer)
    await fake.extract("uns 600 reais, moro em Curitiba", asked=Field.BUDGET)

    [(body, authorization)] = fake.requests
    assert authorization == "Bearer sk-test"
    assert body["model"] == "gpt-test"
    assert body["messages"][-1]["role"] == "user"
    assert "uns 600 reais, moro em Curitiba" in body["messages"][-1]["content"]
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"]) == {which.value for which in EXTRACTABLE}
    assert "references" not in schema["properties"]


async def test_the_structured_output_comes_back_as_text_per_field() -> None:
    async def answer(body: dict[str, Any]) -> JSONResponse:
        return completion(fields(budget="600 reais", location="Curitiba, Brasil", style=""))

    read = await FakeOpenAI(answer).extract("uns 600 reais, moro em Curitiba", asked=Field.BUDGET)

    assert read == {Field.BUDGET: "600 reais", Field.LOCATION: "Curitiba, Brasil"}


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (
            401,
            {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            },
        ),
        (429, {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}),
        (500, {"message": "The server had an error", "type": "server_error", "code": None}),
    ],
)
async def test_an_error_answer_reads_nothing(status: int, error: dict[str, Any]) -> None:
    async def answer(body: dict[str, Any]) -> JSONResponse:
        return JSONResponse({"error": {**error, "param": None}}, status_code=status)

    assert await FakeOpenAI(answer).extract("a rose", asked=Field.IDEA) == {}


@pytest.mark.parametrize(
    "reply",
    [
        completion(None, refusal="I'm sorry, I can't help with that."),
        completion('{"budget": "600 re', finish="length"),
        completion("not json at all"),
        JSONResponse({"unexpected": True}),
    ],
)
async def test_a_refusal_a_cut_answer_or_a_malformed_one_reads_nothing(reply: JSONResponse) -> None:
    async def answer(body: dict[str, Any]) -> JSONResponse:
        return reply

    assert await FakeOpenAI(answer).extract("a rose", asked=Field.IDEA) == {}


async def test_an_answer_slower_than_the_timeout_reads_nothing() -> None:
    gave_up = threading.Event()

    async def answer(body: dict[str, Any]) -> JSONResponse:
        await asyncio.to_thread(gave_up.wait)  # the endpoint hangs until the reader has given up on it
        return completion(fields())

    read = await FakeOpenAI(answer).extract("a rose", asked=Field.IDEA, timeout_seconds=0.2, then=gave_up.set)

    assert read == {}
