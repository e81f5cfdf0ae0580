"""Replicas behind the test balancer: a crashed one gets no more requests, its sibling answers them all."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from inkline_devstack.replicas import NoReplicaAnsweredError, Replica, ReplicaSet, balancer_app, serve_in_loop


def named_app(name: str) -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: dict[str, str]) -> dict[str, str]:
        """Say which replica answered."""
        return {"replica": name, **body}

    return app


async def test_requests_after_a_crash_all_reach_the_surviving_replica() -> None:
    replicas = ReplicaSet([Replica("a", named_app("a")), Replica("b", named_app("b"))])
    await replicas.start()
    try:
        before = {(await replicas.request("POST", "/echo", json={})).json()["replica"] for _ in range(4)}
        await replicas.replicas[0].crash()
        after = {(await replicas.request("POST", "/echo", json={})).json()["replica"] for _ in range(4)}
    finally:
        await replicas.stop()
    assert before == {"a", "b"}, "round robin over both while both live"
    assert after == {"b"}
    assert [replica.alive for replica in replicas.replicas] == [False, False]


async def test_with_every_replica_down_the_caller_learns_it() -> None:
    replicas = ReplicaSet([Replica("a", named_app("a"))])
    await replicas.start()
    await replicas.replicas[0].crash()
    with pytest.raises(NoReplicaAnsweredError):
        await replicas.request("POST", "/echo", json={}, rounds=2, retry_after=0.01)


async def test_the_front_door_forwards_real_http_to_a_live_replica() -> None:
    replicas = ReplicaSet([Replica("a", named_app("a")), Replica("b", named_app("b"))])
    await replicas.start()
    try:
        await replicas.replicas[1].crash()
        async with serve_in_loop(balancer_app(replicas)) as url, httpx.AsyncClient() as client:
            answer = await client.post(f"{url}/echo", json={"hello": "world"})
    finally:
        await replicas.stop()
    assert answer.status_code == 200
    assert answer.json() == {"replica": "a", "hello": "world"}
