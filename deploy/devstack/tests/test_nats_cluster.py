"""The 3-node JetStream cluster from the wheel keeps a replicated stream writable and whole after a SIGKILL."""

from __future__ import annotations

import nats
from nats.js.api import StreamConfig

from inkline_devstack.harness import eventually
from inkline_devstack.nats_cluster import NatsCluster


async def test_a_stream_at_three_replicas_survives_the_kill_of_its_leader(nats_cluster: NatsCluster) -> None:
    client = await nats.connect(nats_cluster.urls)
    try:
        js = client.jetstream()
        info = await js.add_stream(StreamConfig(name="SURVIVOR", subjects=["survivor.>"], num_replicas=3))
        assert info.cluster is not None
        assert len(info.cluster.replicas or []) == 2, "two followers besides the leader"
        for number in range(5):
            await js.publish("survivor.before", str(number).encode())
        leader = next(node for node in nats_cluster.nodes if node.name == info.cluster.leader)
        nats_cluster.kill(nats_cluster.nodes.index(leader))

        async def publish_after_failover() -> bool:
            try:
                # The id makes a retry of a publish that was stored but not acknowledged a no-op.
                await js.publish("survivor.after", b"5", timeout=2, headers={"Nats-Msg-Id": "after"})
            except (TimeoutError, nats.errors.Error):
                return False
            return True

        await eventually(publish_after_failover, timeout=30, interval=0.2)
        state = await js.stream_info("SURVIVOR")
    finally:
        await client.close()
    assert not leader.running
    assert state.state.messages == 6, "nothing written before the kill was lost"
