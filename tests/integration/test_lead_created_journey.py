"""The foundation's real message: conversation's lead.created reaches campaigns and notifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_campaigns.app import create_app as create_campaigns
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import eventually, running_service
from inkline_devstack.provider_fakes import provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_notifier.app import create_app as create_notifier
from inkline_notifier.settings import NotifierSettings
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}


async def _rows(url: str, sql: str) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = list((await connection.execute(text(sql))).all())
    await engine.dispose()
    return rows


async def test_a_new_client_reaches_the_campaigns_read_model_and_opens_the_notifier_window(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    databases = {
        name: await migrated_database(MIGRATIONS[name]) for name in ("conversation", "campaigns", "notifier")
    }
    kim = Customer(wa_id="447700900555", name="Kim")

    # In the sandbox, as `make up` runs it: the real adapters against the provider fakes.
    with provider_fakes(tmp_path) as fakes:
        graph: dict[str, Any] = {
            "whatsapp_graph_url": fakes.graph_url,
            "whatsapp_access_token": fakes.credentials.graph_token,
        }
        conversation = create_conversation(
            ConversationSettings(
                database_url=databases["conversation"], nats_url=nats_url, whatsapp_app_secret="s", **graph
            )
        )
        campaigns = create_campaigns(
            CampaignsSettings(database_url=databases["campaigns"], nats_url=nats_url)
        )
        notifier = create_notifier(
            NotifierSettings(database_url=databases["notifier"], nats_url=nats_url, **graph)
        )
        async with (
            running_service(campaigns),
            running_service(notifier),
            running_service(conversation) as client,
        ):
            for wamid, timestamp in (("wamid.K2", 1_800_000_600), ("wamid.K1", 1_800_000_000)):
                body = encode(text_message(kim, "hi", message_id=wamid, timestamp=timestamp))
                await client.post(
                    "/webhooks/whatsapp",
                    content=body,
                    headers={"X-Hub-Signature-256": sign_payload(body, "s")},
                )
            leads = await eventually(
                lambda: _rows(databases["campaigns"], "SELECT wa_id, status FROM leads WHERE status <> 'new'")
            )
            window = await eventually(
                lambda: _rows(
                    databases["notifier"],
                    "SELECT wa_id, extract(epoch FROM last_inbound_at)::bigint FROM contacts WHERE last_inbound_at IS NOT NULL",
                )
            )
            consumed = await eventually(
                lambda: _rows(
                    databases["notifier"], "SELECT consumer FROM inbox ORDER BY consumer, handled_at"
                )
            )

    assert leads == [("447700900555", "consulting")], "the campaigns read model follows the lead's status"
    # The later message arrived first; the window never moves backwards.
    assert window == [("447700900555", 1_800_000_600)]
    assert {"notifier-lead-created", "notifier-client-message"} <= {row[0] for row in consumed}
