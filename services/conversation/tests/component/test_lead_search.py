"""`/api/leads?q=`: the studio's lead search among 10,000 leads, by name, @username, the last digits of
the phone or words of the idea, a page at a time, on the trigram indexes rather than a read of every row."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from inkline_conversation.app import create_app
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_platform.db import make_engine

TOKEN = "conversation-admin-token-of-32-chars"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LEADS = 10_000

# 10,000 clients with one lead each, changed a minute apart; every 1,000th has the idea "koi fish".
SEED = """
INSERT INTO contacts (wa_id, phone, username, profile_name)
SELECT '4477009' || lpad(n::text, 5, '0'), '4477009' || lpad(n::text, 5, '0'), 'client' || n, 'Client ' || n
FROM generate_series(1, :leads) AS n;
INSERT INTO leads (id, wa_id, status, status_changed_at, qualified)
SELECT md5(n::text)::uuid, '4477009' || lpad(n::text, 5, '0'), 'rejected',
       now() - make_interval(mins => n),
       jsonb_build_object('idea', CASE WHEN n % 1000 = 0 THEN 'Koi fish, sleeve' ELSE 'rose ' || n END)
FROM generate_series(1, :leads) AS n;
UPDATE contacts SET profile_name = 'Mara Quinn', username = 'inkedmara' WHERE wa_id = '447700904321';
"""


@pytest.fixture
def settings(conversation_settings: ConversationSettings) -> ConversationSettings:
    return conversation_settings.model_copy(update={"conversation_admin_token": SecretStr(TOKEN)})


async def seed(settings: ConversationSettings) -> list[str]:
    """The rows, fresh statistics, and the plans of a name search and an idea search."""
    engine = make_engine(settings.database_url)
    async with engine.begin() as connection:
        for statement in SEED.strip().split(";\n"):
            await connection.execute(text(statement), {"leads": LEADS})
    async with engine.connect() as connection:
        await connection.execute(text("COMMIT"))
        await connection.execute(text("ANALYZE contacts"))
        await connection.execute(text("ANALYZE leads"))
        # At 10,000 rows a full read takes about 1.5 ms and PostgreSQL rightly prefers it; with it ruled
        # out, the plans show that the search's expressions match the indexes, which the planner turns to
        # as the tables grow.
        await connection.execute(text("SET enable_seqscan = off"))
        plans = [
            "\n".join(
                str(row[0])
                for row in await connection.execute(
                    text(f"EXPLAIN SELECT 1 FROM {table} WHERE {expression} LIKE '%mara%'")  # noqa: S608 - constants
                )
            )
            for table, expression in (
                (
                    "contacts",
                    "lower(coalesce(contacts.profile_name, '') || ' ' || coalesce(contacts.username, ''))",
                ),
                ("leads", "lower(leads.qualified ->> 'idea')"),
            )
        ]
    await engine.dispose()
    return plans


def names(found: Any) -> list[str]:
    return [lead["client_name"] for lead in found.json()]


async def test_search_finds_a_lead_by_name_username_phone_digits_or_idea_among_ten_thousand(
    settings: ConversationSettings,
) -> None:
    plans = await seed(settings)
    async with running_service(create_app(settings)) as client:

        async def search(q: str, **more: Any) -> Any:
            found = await client.get("/api/leads", params={"q": q, "limit": 5, **more}, headers=AUTH)
            assert found.status_code == 200, found.text
            return found

        by_name = await search("mara q")
        by_username = await search("@InkedMara")
        by_digits = await search("4321")
        by_idea = await search("KOI")
        page_one = by_idea.json()
        last = page_one[-1]
        page_two = await search("koi", after_changed_at=last["status_changed_at"], after_id=last["lead_id"])
        nothing = await search("zebra")
        wildcard = await search("%_")
        only_ats = await search("@@ ")
        too_short = await client.get("/api/leads", params={"q": "m"}, headers=AUTH)

    assert names(by_name) == ["Mara Quinn"]
    assert names(by_username) == ["Mara Quinn"]
    assert names(by_digits) == ["Mara Quinn"]
    assert len(page_one) == 5
    assert all(lead["answers"]["idea"] == "Koi fish, sleeve" for lead in page_one)
    assert [lead["client_name"] for lead in page_one] == [
        f"Client {n}" for n in (1000, 2000, 3000, 4000, 5000)
    ]
    assert names(page_two) == [f"Client {n}" for n in (6000, 7000, 8000, 9000, 10000)]
    assert nothing.json() == []
    assert wildcard.json() == [], "% and _ are searched for, not wildcards"
    assert only_ats.json() == [], "nothing to search for finds nothing, not every lead"
    assert too_short.status_code == 422
    assert "ix_contacts_search_words" in plans[0], plans[0]
    assert "ix_leads_idea_trgm" in plans[1], plans[1]
