"""Meta accepted a send but its answer never reached the notifier: Meta's status callback, carrying the
send's tag through conversation's webhook, records it, and the client gets the message once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nats
from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_devstack.provider_fakes import provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.services import SERVICES
from inkline_notifier.app import create_app as create_notifier
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph.webhooks import deliver_statuses

MIGRATIONS = {service.name: service.migrations_dir for service in SERVICES}
CLIENT = "447700900321"


async def test_a_send_meta_accepted_but_never_answered_reaches_the_client_once(
    migrated_database: DatabaseFactory, nats_url: str, tmp_path: Path, service_app: Callable[..., FastAPI]
) -> None:
    databases = {name: await migrated_database(MIGRATIONS[name]) for name in ("conversation", "notifier")}
    reminder = SendMessage(
        to=CLIENT,
        content=TemplateContent(name="appointment_reminder", body_parameters=["Friday 11:00"]),
        category=Category.UTILITY,
        purpose="reminder",
    )
    with provider_fakes(tmp_path) as fakes:
        conversation = service_app("conversation", databases=databases, fakes=fakes, nats_url=nats_url)
        notifier = create_notifier(
            NotifierSettings(
                database_url=databases["notifier"],
                nats_url=nats_url,
                inkline_sandbox=False,
                log_json=False,
                whatsapp_graph_url=fakes.graph_url,
                whatsapp_access_token=fakes.credentials.graph_token,
                whatsapp_timeout_seconds=0.3,
                send_unconfirmed_grace_seconds=30,
            )
        )
        fakes.graph.stall_next(seconds=30)
        client = await nats.connect(nats_url)
        try:
            async with (
                running_service(notifier),
                running_service(conversation) as webhook,
                JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
            ):
                await Bus(client).publish(subjects.NOTIFY_SEND, reminder)
                # Meta took the message; the notifier stopped waiting for the answer.
                [accepted] = await eventually(fakes.graph.abandoned)
                await deliver_statuses(
                    fakes.graph,
                    f"{webhook.base_url}/webhooks/whatsapp",
                    app_secret=fakes.credentials.app_secret,
                    statuses=("sent",),
                    client=webhook,
                )
                [event] = await sent.wait_for_count(1)
        finally:
            await client.close()

    assert fakes.graph.messages() == [accepted]
    assert event["payload"]["wamid"] == accepted.wamid
