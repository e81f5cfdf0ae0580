"""The contact read model keeps how the artist knows a client: their username and phone, as events show
them, and the new number of a client who changed it, on the one contact they always were."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from inkline_campaigns.app import create_app
from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.handlers.activity import ClientMessageReceivedHandler
from inkline_campaigns.handlers.identities import ClientIdentityChangedHandler
from inkline_campaigns.handlers.leads import LeadCreatedHandler
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_contracts.base import ClientIdentity
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.events.lead import ClientIdentityChanged, LeadCreated
from inkline_devstack.harness import running_service
from inkline_platform.uow import UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
Deliver = Callable[..., Awaitable[Any]]
SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]
TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ON_LEAD_CREATED = LeadCreatedHandler(default_timezone="Europe/London")
ON_CLIENT_MESSAGE = ClientMessageReceivedHandler(attribution_window=timedelta(days=7))
ON_IDENTITY_CHANGED = ClientIdentityChangedHandler()
SAM = "447700900123"
SAM_BSUID = "GB.13491208655302741918"


async def _contacts(uow: UnitOfWorkFactory) -> list[tuple[str, str | None, str | None]]:
    async with uow() as unit:
        rows = await unit.session.execute(select(Contact.wa_id, Contact.phone, Contact.username))
        return [(wa_id, phone, username) for wa_id, phone, username in rows]


def _message(wa_id: str, client: ClientIdentity, *, at: datetime) -> ClientMessageReceived:
    return ClientMessageReceived(
        lead_id=uuid.uuid4(), wa_id=wa_id, whatsapp_message_id=f"wamid.{uuid.uuid4().hex}",
        kind=InboundKind.TEXT, text="hi", sent_at_epoch=int(at.timestamp()), client=client,
    )  # fmt: skip


async def test_a_username_client_is_listed_by_username_and_gains_the_phone_they_reveal(
    deliver: Deliver, uow: UnitOfWorkFactory
) -> None:
    created = LeadCreated(
        lead_id=uuid.uuid4(), wa_id=SAM_BSUID, client=ClientIdentity(bsuid=SAM_BSUID, username="inked.sam")
    )
    await deliver(ON_LEAD_CREATED, subjects.LEAD_CREATED, created, at=NOON)
    revealed = _message(SAM_BSUID, ClientIdentity(phone=SAM, bsuid=SAM_BSUID), at=NOON + timedelta(hours=1))
    await deliver(
        ON_CLIENT_MESSAGE, subjects.CONSULT_MESSAGE_RECEIVED, revealed, at=NOON + timedelta(hours=1)
    )

    # A message without a username (Meta left it out) does not forget the one known.
    assert await _contacts(uow) == [(SAM_BSUID, SAM, "inked.sam")]


async def test_a_new_username_replaces_the_old_one(deliver: Deliver, uow: UnitOfWorkFactory) -> None:
    created = LeadCreated(lead_id=uuid.uuid4(), wa_id=SAM, client=ClientIdentity(phone=SAM, username="sam"))
    await deliver(ON_LEAD_CREATED, subjects.LEAD_CREATED, created, at=NOON)
    later = _message(SAM, ClientIdentity(phone=SAM, username="inked.sam"), at=NOON + timedelta(days=3))
    await deliver(ON_CLIENT_MESSAGE, subjects.CONSULT_MESSAGE_RECEIVED, later, at=NOON + timedelta(days=3))

    assert await _contacts(uow) == [(SAM, SAM, "inked.sam")]


async def test_a_client_who_changed_number_stays_one_contact_with_the_new_number(
    deliver: Deliver, uow: UnitOfWorkFactory
) -> None:
    new_number = "447700900456"
    created = LeadCreated(
        lead_id=uuid.uuid4(), wa_id=SAM, profile_name="Sam", client=ClientIdentity(phone=SAM)
    )
    await deliver(ON_LEAD_CREATED, subjects.LEAD_CREATED, created, at=NOON)
    changed = ClientIdentityChanged(wa_id=SAM, client=ClientIdentity(phone=new_number, bsuid=SAM_BSUID))
    await deliver(ON_IDENTITY_CHANGED, subjects.LEAD_IDENTITY_CHANGED, changed, at=NOON + timedelta(days=1))

    assert await _contacts(uow) == [(SAM, new_number, None)]
    async with uow() as unit:
        assert await unit.session.scalar(select(func.count()).select_from(Contact)) == 1


async def test_the_segment_preview_shows_a_username_client_by_username_and_phone(
    database_url: str, nats_url: str, seed_contacts: SeedContacts
) -> None:
    await seed_contacts(
        [
            {"wa_id": SAM_BSUID, "username": "inked.sam", "city": "London"},
            {"wa_id": "447700000002", "phone": "447700000002", "city": "London"},
        ]
    )
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token=TOKEN, log_json=False
    )
    async with running_service(create_app(settings, clock=lambda: NOON)) as client:
        preview = await client.post("/api/segments/preview", json={"city": "london"}, headers=AUTH)

    assert preview.status_code == 200, preview.text
    assert sorted((c["wa_id"], c["phone"], c["username"]) for c in preview.json()["contacts"]) == [
        ("447700000002", "447700000002", None),
        (SAM_BSUID, None, "inked.sam"),
    ]


async def test_the_campaign_recipients_list_shows_a_username_client_by_username(
    database_url: str, nats_url: str, seed_contacts: SeedContacts, uow: UnitOfWorkFactory
) -> None:
    await seed_contacts([{"wa_id": SAM_BSUID, "username": "inked.sam", "profile_name": "Sam"}])
    segment_id, campaign_id = uuid.uuid4(), uuid.uuid4()
    async with uow() as unit:
        unit.session.add(Segment(segment_id=segment_id, name="Everyone", filter={}))
        await unit.session.flush()  # no ORM relationship orders the inserts for the foreign keys
        unit.session.add(
            Campaign(
                campaign_id=campaign_id, name="Flash day", tag="flash", segment_id=segment_id,
                template_name="flash_day", template_language="en", parameters=[], status="done",
                audience_size=1, launched_at=NOON, completed_at=NOON,
            )
        )  # fmt: skip
        await unit.session.flush()
        unit.session.add(
            Recipient(
                campaign_id=campaign_id, wa_id=SAM_BSUID, state="handed_off", message_id=uuid.uuid4(),
                handed_off_at=NOON,
            )
        )  # fmt: skip
        await unit.commit()
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token=TOKEN, log_json=False
    )
    async with running_service(create_app(settings, clock=lambda: NOON)) as client:
        listed = await client.get(f"/api/campaigns/{campaign_id}/recipients", headers=AUTH)

    assert listed.status_code == 200, listed.text
    assert [(r["wa_id"], r["profile_name"], r["username"]) for r in listed.json()] == [
        (SAM_BSUID, "Sam", "inked.sam")
    ]
