"""A replica starting while the NATS cluster is still forming waits for it, and only an existing stream
is updated: a placement refusal is never mistaken for "the stream exists"."""

from __future__ import annotations

import pytest
from nats.js.api import StreamConfig, StreamInfo
from nats.js.errors import BadRequestError, ServiceUnavailableError

from inkline_platform.broker import NO_SUITABLE_PEERS, STREAM_NAME_IN_USE, declare_stream

CONFIG = StreamConfig(name="LEADS", subjects=["inkline.lead.>"], num_replicas=3)


class _Cluster:
    """Answers `add_stream` with the given refusals first, then accepts; records every call."""

    def __init__(self, *refusals: Exception, exists: bool = False) -> None:
        self.refusals = list(refusals)
        self.exists = exists
        self.calls: list[str] = []

    async def add_stream(self, config: StreamConfig) -> StreamInfo:
        self.calls.append("add")
        if self.refusals:
            raise self.refusals.pop(0)
        if self.exists:
            raise BadRequestError(
                code=400, err_code=STREAM_NAME_IN_USE, description="stream name already in use"
            )
        self.exists = True
        return _info(config)

    async def update_stream(self, config: StreamConfig) -> StreamInfo:
        self.calls.append("update")
        if not self.exists:
            raise BadRequestError(code=404, err_code=10059, description="stream not found")
        return _info(config)


def _info(config: StreamConfig) -> StreamInfo:
    info: StreamInfo = StreamInfo.from_response(
        {
            "config": {"name": config.name},
            "state": {"messages": 0, "bytes": 0, "first_seq": 0, "last_seq": 0, "consumer_count": 0},
        }
    )
    return info


def _peer_offline() -> BadRequestError:
    return BadRequestError(
        code=400, err_code=NO_SUITABLE_PEERS, description="no suitable peers for placement, peer offline"
    )


async def test_a_stream_is_placed_once_the_cluster_has_heard_from_every_peer() -> None:
    cluster = _Cluster(_peer_offline(), ServiceUnavailableError(code=503, description="JetStream not ready"))

    await declare_stream(cluster, CONFIG, patience_seconds=5)

    assert cluster.calls == ["add", "add", "add"]
    assert cluster.exists


async def test_an_existing_stream_is_updated_to_the_contracts_configuration() -> None:
    cluster = _Cluster(exists=True)

    await declare_stream(cluster, CONFIG, patience_seconds=5)

    assert cluster.calls == ["add", "update"]


async def test_a_cluster_that_never_forms_fails_the_start_with_the_placement_error() -> None:
    cluster = _Cluster(*[_peer_offline() for _ in range(1000)])

    with pytest.raises(BadRequestError) as refused:
        await declare_stream(cluster, CONFIG, patience_seconds=0.3)

    assert refused.value.err_code == NO_SUITABLE_PEERS
    assert "update" not in cluster.calls


async def test_a_refused_configuration_is_not_retried() -> None:
    invalid = BadRequestError(
        code=400, err_code=10052, description="replicas > 1 not supported in non-clustered mode"
    )
    cluster = _Cluster(invalid)

    with pytest.raises(BadRequestError):
        await declare_stream(cluster, CONFIG, patience_seconds=5)

    assert cluster.calls == ["add"]
