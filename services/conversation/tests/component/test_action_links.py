"""Artist action links over real HTTP and PostgreSQL: confirm on GET, act once on POST, clear refusals."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, text, update

from inkline_conversation.api.action_pages import action_router
from inkline_conversation.db.action_tokens import issue_action_links
from inkline_conversation.db.models import ActionToken, Contact, Lead
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.statuses import ActionKind, ActionRefusedError, LeadStatus, apply_action
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

ISSUED_AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TTL = timedelta(days=7)
WA_ID = "447700900123"


@dataclass
class FakeExecutor:
    """Moves the lead along the real action table; refuses when told to, after changing the lead."""

    refusal: str | None = None
    calls: list[tuple[uuid.UUID, ActionKind]] = field(default_factory=list)

    async def __call__(self, work: UnitOfWork, lead: Lead, action: ActionKind, now: datetime) -> str:
        self.calls.append((lead.id, action))
        lead.status = apply_action(action, LeadStatus(lead.status), resume_to=LeadStatus.CONSULTING).value
        # Let concurrent requests run in between, as a real executor awaiting the database would.
        await asyncio.sleep(0.01)
        if self.refusal is not None:
            raise ActionRefusedError(self.refusal)
        return f"Done: the lead is now {lead.status}."


@dataclass
class ActionLinks:
    client: httpx.AsyncClient
    uow: UnitOfWorkFactory
    executor: FakeExecutor
    clock: FakeClock

    async def new_lead(
        self, status: LeadStatus, *, name: str | None = "Sam", idea: str = "fine-line swallow"
    ) -> uuid.UUID:
        lead_id = uuid.uuid4()
        async with self.uow() as work:
            if await work.session.get(Contact, WA_ID) is None:
                work.session.add(Contact(wa_id=WA_ID, profile_name=name))
                await work.session.flush()
            work.session.add(Lead(id=lead_id, wa_id=WA_ID, status=status.value, qualified={"idea": idea}))
            await work.commit()
        return lead_id

    async def links(self, lead_id: uuid.UUID, *actions: ActionKind) -> dict[ActionKind, str]:
        async with self.uow() as work:
            links = await issue_action_links(
                work.session,
                lead_id=lead_id,
                actions=actions,
                now=ISSUED_AT,
                ttl=TTL,
                base_url="http://service/",
            )
            await work.commit()
        return links

    async def status(self, lead_id: uuid.UUID) -> str:
        async with self.uow() as work:
            lead = await work.session.get_one(Lead, lead_id)
            return lead.status

    async def set_status(self, lead_id: uuid.UUID, status: LeadStatus) -> None:
        async with self.uow() as work:
            await work.session.execute(update(Lead).where(Lead.id == lead_id).values(status=status.value))
            await work.commit()

    async def token_rows(self) -> list[ActionToken]:
        async with self.uow() as work:
            rows = list((await work.session.scalars(select(ActionToken))).all())
            work.session.expunge_all()  # keep them loaded past the unit of work's rollback
            return rows


async def _in(language: str) -> Copy:
    return Copy.for_language(language)


@pytest.fixture
async def action_links(
    request: pytest.FixtureRequest, conversation_settings: ConversationSettings
) -> AsyncIterator[ActionLinks]:
    """The pages in English, or in the artist's language a test names (indirect parametrisation)."""
    language = str(getattr(request, "param", "en"))
    runtime = ServiceRuntime(service="conversation", settings=conversation_settings)
    executor, clock = FakeExecutor(), FakeClock(ISSUED_AT + timedelta(hours=1))
    router = action_router(
        uow=runtime.uow,
        executor=executor,
        artist_copy=lambda work: _in(language),
        clock=clock,
        timezone="Europe/London",
    )
    app = runtime.create_app(title="action links under test", routers=[router])
    async with running_service(app) as client:
        yield ActionLinks(client=client, uow=runtime.uow, executor=executor, clock=clock)


async def test_get_shows_what_will_happen_to_whom_and_changes_nothing(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(
        LeadStatus.QUALIFIED, name="Sam <b>K</b>", idea="a swallow & a rose"
    )
    link = (await action_links.links(lead_id, ActionKind.APPROVE))[ActionKind.APPROVE]

    first = await action_links.client.get(link)
    second = await action_links.client.get(link)

    assert first.status_code == second.status_code == 200
    page = first.text
    assert "Approve this request" in page
    assert "Sam &lt;b&gt;K&lt;/b&gt;" in page
    assert "+44…23" in page
    assert WA_ID not in page
    assert "a swallow &amp; a rose" in page
    assert "waiting for your decision" in page, "where the client is, in plain words"
    assert '<form method="post">' in page
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert action_links.executor.calls == []
    assert await action_links.status(lead_id) == "qualified"
    assert [row.used_at for row in await action_links.token_rows()] == [None]


async def test_post_runs_the_action_once_and_a_second_use_is_gone(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    link = (await action_links.links(lead_id, ActionKind.APPROVE))[ActionKind.APPROVE]

    done = await action_links.client.post(link)
    again = await action_links.client.post(link)
    looked_at = await action_links.client.get(link)

    assert done.status_code == 200
    assert "Done: the lead is now approved." in done.text
    assert action_links.executor.calls == [(lead_id, ActionKind.APPROVE)]
    assert await action_links.status(lead_id) == "approved"
    assert (again.status_code, looked_at.status_code) == (410, 410)
    # Used at 10:00 UTC on 3 March, shown in the artist's zone (GMT in March).
    assert "already used on 3 Mar 2025 at 10:00 (GMT)" in again.text
    (row,) = await action_links.token_rows()
    assert row.used_at == action_links.clock.now


@pytest.mark.parametrize("action_links", ["es"], indirect=True)
async def test_an_artist_who_reads_spanish_gets_the_pages_in_spanish(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    link = (await action_links.links(lead_id, ActionKind.APPROVE))[ActionKind.APPROVE]

    shown = await action_links.client.get(link)
    await action_links.client.post(link)
    again = await action_links.client.post(link)

    assert '<html lang="es">' in shown.text
    assert "Aceptar esta solicitud" in shown.text
    assert "Inkline le dice a Sam que te encantaría hacerlo" in shown.text
    assert "No pasa nada hasta que pulses el botón." in shown.text
    assert "Enlace ya usado" in again.text
    assert "Este enlace ya se usó el 3 mar 2025 a las 10:00 (GMT)." in again.text


async def test_concurrent_posts_of_one_link_succeed_exactly_once(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    link = (await action_links.links(lead_id, ActionKind.APPROVE))[ActionKind.APPROVE]

    responses = await asyncio.gather(*(action_links.client.post(link) for _ in range(8)))

    assert sorted(response.status_code for response in responses) == [200] + [410] * 7
    assert action_links.executor.calls == [(lead_id, ActionKind.APPROVE)]
    assert await action_links.status(lead_id) == "approved"


async def test_an_expired_link_shows_a_clear_page_and_changes_nothing(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    link = (await action_links.links(lead_id, ActionKind.REJECT))[ActionKind.REJECT]
    action_links.clock.now = ISSUED_AT + TTL

    looked_at = await action_links.client.get(link)
    posted = await action_links.client.post(link)

    assert (looked_at.status_code, posted.status_code) == (410, 410)
    assert "expired on 10 Mar 2025 at 09:00 (GMT)" in posted.text
    assert action_links.executor.calls == []
    assert await action_links.status(lead_id) == "qualified"
    assert [row.used_at for row in await action_links.token_rows()] == [None]


async def test_a_link_for_a_status_the_lead_has_left_is_refused_with_the_current_status(
    action_links: ActionLinks,
) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    link = (await action_links.links(lead_id, ActionKind.APPROVE))[ActionKind.APPROVE]
    await action_links.set_status(lead_id, LeadStatus.BOOKED)

    looked_at = await action_links.client.get(link)
    posted = await action_links.client.post(link)

    assert (looked_at.status_code, posted.status_code) == (409, 409)
    assert "This client is now booked, so “Approve” no longer applies." in posted.text
    assert action_links.executor.calls == []
    assert [row.used_at for row in await action_links.token_rows()] == [None]


async def test_an_unknown_token_is_not_found_without_an_error(action_links: ActionLinks) -> None:
    looked_at = await action_links.client.get("/actions/not-a-real-token")
    posted = await action_links.client.post("/actions/not-a-real-token")

    assert (looked_at.status_code, posted.status_code) == (404, 404)
    assert "Link not recognised" in posted.text


async def test_a_refused_action_rolls_back_and_leaves_the_link_usable(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.APPROVED)
    link = (await action_links.links(lead_id, ActionKind.SEND_DEPOSIT))[ActionKind.SEND_DEPOSIT]
    action_links.executor.refusal = (
        "No slot is held for this lead, so there is nothing to take a deposit for."
    )

    refused = await action_links.client.post(link)

    assert refused.status_code == 409
    assert "nothing to take a deposit for" in refused.text
    assert await action_links.status(lead_id) == "approved"  # the executor's change was rolled back
    assert [row.used_at for row in await action_links.token_rows()] == [None]

    action_links.executor.refusal = None
    accepted = await action_links.client.post(link)

    assert accepted.status_code == 200
    assert await action_links.status(lead_id) == "deposit_requested"


async def test_each_link_is_bound_to_its_own_action_and_lead(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    other_lead = await action_links.new_lead(LeadStatus.QUALIFIED)
    links = await action_links.links(lead_id, ActionKind.APPROVE, ActionKind.REJECT)
    await action_links.links(other_lead, ActionKind.APPROVE)

    rejected = await action_links.client.post(links[ActionKind.REJECT])

    assert rejected.status_code == 200
    assert action_links.executor.calls == [(lead_id, ActionKind.REJECT)]
    assert await action_links.status(lead_id) == "rejected"
    assert await action_links.status(other_lead) == "qualified"

    # The approve link is a separate token: the artist may still reconsider a rejection with it.
    reconsidered = await action_links.client.post(links[ActionKind.APPROVE])

    assert reconsidered.status_code == 200
    assert action_links.executor.calls[-1] == (lead_id, ActionKind.APPROVE)
    assert await action_links.status(lead_id) == "approved"


async def test_tokens_are_stored_only_as_their_sha256(action_links: ActionLinks) -> None:
    lead_id = await action_links.new_lead(LeadStatus.QUALIFIED)
    links = await action_links.links(lead_id, *ActionKind)
    tokens = {action: link.rsplit("/", 1)[1] for action, link in links.items()}

    rows = {ActionKind(row.action): row for row in await action_links.token_rows()}
    async with action_links.uow() as work:
        dump = (
            (await work.session.execute(text("SELECT row_to_json(t)::text FROM action_tokens t")))
            .scalars()
            .all()
        )

    assert set(rows) == set(ActionKind)
    for action, token in tokens.items():
        assert rows[action].token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert rows[action].expires_at == ISSUED_AT + TTL
        assert all(token not in row for row in dump)
