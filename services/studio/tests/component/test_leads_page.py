"""The Leads screen against the running conversation and payments services: a card shows the client's
reference pictures from the studio's own origin, a paid deposit is refunded once however often the button is
pressed, and the search finds leads among all of them, a page at a time."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import text

from inkline_contracts import subjects
from inkline_contracts.examples import EXAMPLES
from inkline_conversation.db.models import Contact, Lead, ReferenceMedia
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.harness import running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, signed_in_cookie, tiny_png

if TYPE_CHECKING:
    from conftest import PayDeposit

    from inkline_devstack.provider_fakes import ProviderFakes

ANSWERS = EXAMPLES[subjects.LEAD_QUALIFIED.name].model_dump(mode="json")
PICTURE = tiny_png()


async def add_booked_lead(settings: ConversationSettings) -> uuid.UUID:
    """Lena, booked, with the two reference pictures of her consultation downloaded."""
    engine = make_engine(settings.database_url)
    lead_id = uuid.uuid4()
    async with make_session_factory(engine)() as db:
        db.add(Contact(wa_id="4915199990001", profile_name="Lena"))
        await db.flush()
        answers = ANSWERS | {"reference_media_ids": ["ref-1", "ref-2"]}
        db.add(Lead(id=lead_id, wa_id="4915199990001", status="booked", language="de", qualified=answers))
        await db.flush()
        for media_id in ("ref-1", "ref-2"):
            db.add(
                ReferenceMedia(
                    media_id=media_id,
                    lead_id=lead_id,
                    wamid=f"wamid.{media_id}",
                    mime_type="image/png",
                    status="stored",
                    content=PICTURE,
                )
            )
        await db.commit()
    await engine.dispose()
    return lead_id


async def test_a_paid_deposit_is_refunded_from_the_board_once_however_often_it_is_pressed(
    conversation_settings: ConversationSettings,
    conversation_transport: httpx.ASGITransport,
    payments_transport: httpx.ASGITransport,
    studio_settings: StudioSettings,
    pay_deposit: PayDeposit,
    fakes: ProviderFakes,
) -> None:
    lead_id = await add_booked_lead(conversation_settings)
    deposit_id = await pay_deposit(lead_id, 10_000)
    clock = Clock()
    app = create_app(
        studio_settings,
        clock=clock,
        conversation_transport=conversation_transport,
        payments_transport=payments_transport,
    )
    refund_url = f"/leads/{lead_id}/deposits/{deposit_id}/refund"
    async with running_service(app) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        board = await client.get("/leads")
        pictures = [
            path.replace("&amp;", "&") for path in re.findall(r'<img src="(/media/[^"]+)"', board.text)
        ]
        picture = await client.get(pictures[0])
        forged = await client.post(refund_url)
        refunded = await client.post(refund_url, data={"csrf": csrf_of(board)})
        after = await client.get(refunded.headers["location"])
        again = await client.post(refund_url, data={"csrf": csrf_of(board)})

    card = board.text.split(f'id="lead-{lead_id}"')[1].split("</article>")[0]
    assert "Deposit 100.00 GBP paid" in card
    assert f'action="{refund_url}"' in card
    assert "Refund 100.00 GBP" in card
    assert [path.split("?")[0] for path in pictures] == ["/media/ref-1", "/media/ref-2"]
    assert (picture.status_code, picture.content) == (200, PICTURE)
    assert forged.status_code == 403
    assert refunded.status_code == 303
    assert refunded.headers["location"] == f"/leads?refunded={lead_id}#lead-{lead_id}"
    assert "Deposit refunded. The client is told on WhatsApp." in after.text
    card_after = after.text.split(f'id="lead-{lead_id}"')[1].split("</article>")[0]
    assert "Deposit 100.00 GBP refunded" in card_after
    assert "/refund" not in card_after, "nothing left to refund"
    assert again.status_code == 409
    assert "This deposit was refunded already." in again.text
    assert len(fakes.stripe.refunds()) == 1


# 25 leads whose idea is a koi; Mara's also is, and only she is called Mara.
SEED = """
INSERT INTO contacts (wa_id, username, profile_name)
SELECT '4477009' || lpad(n::text, 5, '0'), 'client' || n, 'Client ' || n FROM generate_series(1, 25) AS n;
INSERT INTO leads (id, wa_id, status, status_changed_at, qualified)
SELECT md5(n::text)::uuid, '4477009' || lpad(n::text, 5, '0'), 'rejected', now() - make_interval(mins => n),
       jsonb_build_object('idea', 'koi number ' || n)
FROM generate_series(1, 25) AS n;
UPDATE contacts SET profile_name = 'Mara Quinn', username = 'inkedmara' WHERE wa_id = '447700900007'
"""


async def test_the_search_finds_leads_by_name_or_idea_a_page_at_a_time(
    conversation_settings: ConversationSettings,
    conversation_transport: httpx.ASGITransport,
    payments_transport: httpx.ASGITransport,
    studio_settings: StudioSettings,
) -> None:
    engine = make_engine(conversation_settings.database_url)
    async with engine.begin() as connection:
        for statement in SEED.strip().split(";\n"):
            await connection.execute(text(statement))
    await engine.dispose()
    clock = Clock()
    app = create_app(
        studio_settings,
        clock=clock,
        conversation_transport=conversation_transport,
        payments_transport=payments_transport,
    )
    async with running_service(app) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        by_name = await client.get("/leads", params={"q": "@InkedMara"})
        first = await client.get("/leads", params={"q": "koi"})
        more = re.search(r'id="more-matches" href="([^"]+)"', first.text)
        assert more, first.text
        second = await client.get(more.group(1).replace("&amp;", "&"))
        nothing = await client.get("/leads", params={"q": "zebra"})
        too_short = await client.get("/leads", params={"q": "k"})

    def cards(page: httpx.Response) -> list[str]:
        return re.findall(r"<strong>([^<]+)</strong>\s*<span class=\"status\">", page.text)

    assert cards(by_name) == ["Mara Quinn"]
    assert cards(first) == [f"Client {n}" if n != 7 else "Mara Quinn" for n in range(1, 21)]
    assert cards(second) == [f"Client {n}" for n in range(21, 26)]
    assert 'id="more-matches"' not in second.text
    assert "No lead matches that." in nothing.text
    assert too_short.status_code == 400
    assert "Type at least two letters or digits to search." in too_short.text
