"""What bench/studio_pages.py seeds before it measures: 10,000 leads (all statuses, with answers, ten
messages queued to each, as the outbox keeps them) and 100,000 campaign contacts with five launched campaigns
of 10,000 recipients each, written in bulk straight into the services' databases.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import SendMessage, TextContent
from inkline_contracts.examples import EXAMPLES
from inkline_conversation.db.models import Contact as ClientContact
from inkline_conversation.db.models import Lead
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.tables import outbox
from inkline_platform.uow import UnitOfWorkFactory

NOW = datetime.now(UTC)
STATUSES = (
    "new", "consulting", "needs_artist", "below_minimum", "tour_offered", "waitlisted", "qualified",
    "approved", "rejected", "slots_offered", "slot_held", "deposit_requested", "deposit_paid",
    "booked", "no_show", "abandoned", "cancelled",
)  # fmt: skip
ANSWERS = EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json")
CAMPAIGNS, RECIPIENTS = 5, 10_000
# Messages queued to each client (the outbox rows a thread reads): 100,000 rows with 10,000 leads.
SENT_PER_LEAD = 10


def sent_rows(lead_id: uuid.UUID, wa_id: str) -> list[dict[str, Any]]:
    """What the journey queued for one client: the thread's outgoing half, as the outbox keeps it."""
    rows = []
    for n in range(SENT_PER_LEAD):
        envelope = new_envelope(
            subjects.NOTIFY_SEND,
            SendMessage(to=wa_id, content=TextContent(body=f"Message {n}"), purpose="consult_question"),
            correlation_id=str(lead_id),
        )
        rows.append(
            {
                "message_id": envelope.message_id,
                "subject": subjects.NOTIFY_SEND.name,
                "stream": subjects.NOTIFY_SEND.stream,
                "correlation_id": str(lead_id),
                "body": envelope.model_dump_json(),
                "published_at": NOW,
            }
        )
    return rows


async def seed_leads(url: str, leads: int) -> None:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    async with uow() as unit:
        for start in range(0, leads, 5_000):
            numbers = range(start, min(start + 5_000, leads))
            await unit.session.execute(
                insert(ClientContact),
                [{"wa_id": f"4477{i:08d}", "profile_name": f"Client {i}"} for i in numbers],
            )
            ids = {i: uuid.uuid4() for i in numbers}
            await unit.session.execute(
                insert(Lead),
                [
                    {
                        "id": ids[i],
                        "wa_id": f"4477{i:08d}",
                        "status": STATUSES[i % len(STATUSES)],
                        "qualified": ANSWERS,
                        "status_changed_at": NOW - timedelta(minutes=i),
                        "last_inbound_at": NOW - timedelta(minutes=i),
                    }
                    for i in numbers
                ],
            )
            await unit.session.execute(
                insert(outbox), [row for i in numbers for row in sent_rows(ids[i], f"4477{i:08d}")]
            )
        await unit.commit()
    await engine.dispose()


async def latest_lead(url: str) -> uuid.UUID:
    """The conversation at the top of the Inbox (its thread is the one an artist opens first)."""
    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        found = await session.scalar(select(Lead.id).order_by(Lead.last_inbound_at.desc()).limit(1))
    await engine.dispose()
    assert found is not None
    return found


async def seed_contacts(url: str, contacts: int) -> tuple[uuid.UUID, uuid.UUID]:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    rows: list[dict[str, Any]] = [
        {
            "wa_id": f"49{i:010d}",
            "profile_name": f"Client {i}",
            "first_seen_at": NOW - timedelta(days=30),
            "city": "Berlin" if i % 4 else "Hamburg",
            "style": "fine line" if i % 3 else "blackwork",
            "opted_in": i % 5 != 0,
            "tags": [],
        }
        for i in range(contacts)
    ]
    async with uow() as unit:
        for start in range(0, contacts, 10_000):
            await unit.session.execute(insert(Contact), rows[start : start + 10_000])
        segment = Segment(segment_id=uuid.uuid4(), name="Berlin", filter={"city": "berlin"})
        unit.session.add(segment)
        await unit.session.flush()
        campaign_id = uuid.uuid4()
        for n in range(CAMPAIGNS):
            this = campaign_id if n == 0 else uuid.uuid4()
            unit.session.add(
                Campaign(
                    campaign_id=this,
                    name=f"Flash day {n}",
                    tag=f"flash-{n}",
                    segment_id=segment.segment_id,
                    template_name="flash_day",
                    template_language="en",
                    parameters=[{"value": "Saturday"}],
                    status="done",
                    audience_size=RECIPIENTS,
                    launched_at=NOW - timedelta(days=n + 1),
                    completed_at=NOW - timedelta(days=n + 1),
                )
            )
            await unit.session.flush()
            at = NOW - timedelta(days=n + 1)
            await unit.session.execute(
                insert(Recipient),
                [
                    {
                        "campaign_id": this,
                        "wa_id": f"49{i:010d}",
                        "state": "handed_off",
                        "message_id": uuid.uuid4(),
                        "handed_off_at": at,
                        "sent_at": at,
                        "delivered_at": at if i % 2 else None,
                        "read_at": at if i % 3 == 0 else None,
                    }
                    for i in range(n * RECIPIENTS, (n + 1) * RECIPIENTS)
                ],
            )
        await unit.commit()
    await engine.dispose()
    return segment.segment_id, campaign_id
