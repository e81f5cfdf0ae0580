"""Scripted Cloud API failures: rate limits, the 24h window, undeliverable numbers, 5xx and stalled answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.records import SendOutcome
from inkline_sandbox.server import serve_in_background

TOKEN = "test-token"


@pytest.fixture
def state() -> GraphState:
    return GraphState(access_token=TOKEN)


@pytest.fixture
def graph(state: GraphState) -> Iterator[httpx.Client]:
    with serve_in_background(create_graph_app(state)) as base_url:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=f"{base_url}/v21.0", headers=headers, timeout=5) as client:
            yield client


def text(to: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "text",
        "text": {"body": "Your slot is booked"},
    }


def send(graph: httpx.Client, to: str = "34600111222") -> httpx.Response:
    return graph.post("/106540352242922/messages", json=text(to))


@pytest.mark.parametrize(
    ("code", "http_status", "message"),
    [
        (130429, 429, "(#130429) Rate limit hit"),
        (131056, 429, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
        (131047, 400, "(#131047) Re-engagement message"),
        (131026, 400, "(#131026) Message Undeliverable."),
        (100, 400, "(#100) Invalid parameter"),
        (131000, 500, "(#131000) Something went wrong"),
    ],
)
def test_a_scripted_error_answers_the_next_send_with_metas_error_and_records_nothing(
    graph: httpx.Client, state: GraphState, code: int, http_status: int, message: str
) -> None:
    state.fail_next(code)

    failed = send(graph)
    retried = send(graph)

    assert failed.status_code == http_status
    error = failed.json()["error"]
    assert (error["code"], error["message"], error["type"]) == (code, message, "OAuthException")
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert retried.status_code == 200
    assert len(state.messages()) == 1
    assert [a.outcome for a in state.attempts()] == ["rejected", "accepted"]


def test_errors_can_be_scripted_for_several_sends_and_one_recipient(
    graph: httpx.Client, state: GraphState
) -> None:
    state.fail_next(131056, times=2, to="+34 600 111 222")

    statuses = [send(graph, "34600111222").status_code, send(graph, "34699999999").status_code]
    statuses += [send(graph, "34600111222").status_code, send(graph, "34600111222").status_code]

    assert statuses == [429, 200, 429, 200]
    assert [m.wa_id for m in state.messages()] == ["34699999999", "34600111222"]


def test_the_http_status_of_a_scripted_error_can_be_overridden(
    graph: httpx.Client, state: GraphState
) -> None:
    state.fail_next(130429, http_status=400)

    assert send(graph).status_code == 400


def test_a_webhook_delivered_failure_accepts_the_send_and_marks_the_message(
    graph: httpx.Client, state: GraphState
) -> None:
    state.fail_next(131047, delivery="webhook")

    response = send(graph)

    assert response.status_code == 200
    assert state.last_message().fails_with == 131047


def test_a_stalled_send_is_recorded_but_the_client_times_out(graph: httpx.Client, state: GraphState) -> None:
    state.stall_next(seconds=10)

    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        graph.post("/106540352242922/messages", json=text("34600111222"), timeout=0.5)

    assert time.monotonic() - started < 5
    assert len(state.messages()) == 1
    assert state.attempts()[0].outcome == "stalled"
    deadline = time.monotonic() + 5
    while not state.abandoned() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert state.abandoned() == state.messages()
    assert send(graph).status_code == 200
    assert len(state.messages()) == 2


def test_releasing_a_stall_lets_the_delayed_success_through(graph: httpx.Client, state: GraphState) -> None:
    state.stall_next(seconds=30)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(send, graph)
        deadline = time.monotonic() + 5
        while not state.attempts() and time.monotonic() < deadline:
            time.sleep(0.01)
        state.release_stalled()
        response = pending.result(timeout=5)

    assert response.status_code == 200
    assert response.json()["messages"][0]["id"] == state.last_message().wamid
    assert state.abandoned() == []


def test_a_release_right_after_the_attempt_is_recorded_ends_the_stall(
    graph: httpx.Client, state: GraphState, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The caller saw the attempt and released it before the response handler reached its stall loop.
    state.stall_next(seconds=30)
    record = state.send

    def record_then_release(phone_number_id: str, payload: dict[str, Any]) -> SendOutcome:
        outcome = record(phone_number_id, payload)
        state.release_stalled()
        return outcome

    monkeypatch.setattr(state, "send", record_then_release)

    assert send(graph).status_code == 200
    assert state.attempts()[0].outcome == "stalled"


def test_scripted_media_lookup_failures_answer_with_metas_error_then_recover(
    graph: httpx.Client, state: GraphState
) -> None:
    state.add_media(b"\x89PNG reference", "image/png", media_id="4242")
    state.fail_media_next(131000, times=2)

    statuses = [graph.get("/4242").status_code for _ in range(3)]

    assert statuses == [500, 500, 200]
    assert graph.get("/4242").json()["id"] == "4242"
