"""The notifier's contacts: created on first sight, their service window and consent kept whatever order
the events arrive in."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_notifier.db.models import Contact

_contacts = cast(Table, Contact.__table__)
_inserted = insert(_contacts)
# Built once, Core: every message a client writes runs it.
_SAW_INBOUND = _inserted.on_conflict_do_update(
    index_elements=["wa_id"],
    set_={
        "last_inbound_at": func.greatest(_contacts.c.last_inbound_at, _inserted.excluded.last_inbound_at),
        "phone": func.coalesce(_inserted.excluded.phone, _contacts.c.phone),
    },
)


async def ensure_contact(session: AsyncSession, wa_id: str, *, phone: str | None = None) -> None:
    """A contact for the address `wa_id`; `phone` is the number beside a BSUID address, once Meta shows it."""
    statement = insert(Contact).values(wa_id=wa_id, phone=phone)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["wa_id"], set_={"phone": func.coalesce(statement.excluded.phone, Contact.phone)}
        )
    )


async def saw_inbound(
    session: AsyncSession, wa_id: str, sent_at: datetime, *, phone: str | None = None
) -> None:
    """The contact wrote at `sent_at`; out-of-order delivery never moves the window backwards."""
    await session.execute(_SAW_INBOUND, {"wa_id": wa_id, "last_inbound_at": sent_at, "phone": phone})


async def reach_at(session: AsyncSession, wa_id: str, *, phone: str | None, bsuid: str | None) -> None:
    """The client addressed by `wa_id` now has the number `phone` (they changed it) or the BSUID `bsuid`
    (Meta changed it): sends go there. What the change leaves out stays as it was, and an identifier
    equal to the address needs no entry of its own."""
    changed: dict[str, str | None] = {}
    if phone is not None:
        changed["phone"] = None if phone == wa_id else phone
    if bsuid is not None:
        changed["bsuid"] = None if bsuid == wa_id else bsuid
    if not changed:
        return
    statement = insert(Contact).values(wa_id=wa_id, **changed)
    await session.execute(statement.on_conflict_do_update(index_elements=["wa_id"], set_=changed))


async def set_opted_out(session: AsyncSession, wa_id: str, *, opted_out: bool) -> None:
    statement = insert(Contact).values(wa_id=wa_id, opted_out=opted_out)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["wa_id"], set_={"opted_out": opted_out})
    )
