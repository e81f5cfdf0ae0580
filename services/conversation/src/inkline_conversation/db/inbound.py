"""Recording an inbound WhatsApp message against its contact's current lead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_contracts.base import ClientIdentity
from inkline_conversation.db.models import Contact, InboundMessage, Lead, ScheduledMessage
from inkline_conversation.domain.appointment_plan import APPOINTMENT_BUTTON_PREFIX

log = structlog.get_logger(__name__)

# A new message from a number whose last lead ended in one of these starts a fresh lead.
FINISHED_STATUSES = frozenset({"booked", "rejected", "abandoned", "cancelled", "no_show"})
NEW_STATUS = "new"
# ... except a tap on a button of that booking's messages (an old "Yes, cancel" tapped again): it stays on the
# lead it belongs to, which answers that the button no longer applies, instead of starting a consultation.
_APPOINTMENT_ENDED = frozenset({"cancelled", "no_show"})


@dataclass(frozen=True)
class Recorded:
    lead_id: uuid.UUID
    lead_created: bool
    # The person's address (contacts.wa_id): what every event about them names, whichever identifier
    # this message came with.
    address: str
    # Every identifier known for the person after this message (phone, BSUID, username).
    client: ClientIdentity


@dataclass(frozen=True)
class IdentityLinked:
    """A contact told a new identifier: their unchanged address and every identifier they have now."""

    address: str
    client: ClientIdentity


# A reply this soon after an aftercare message (a worried "is this normal?", the healed photo) belongs to
# the booking, not to a new enquiry.
AFTERCARE_REPLY_WINDOW = timedelta(days=7)


async def _booking_still_current(
    session: AsyncSession, lead_id: uuid.UUID, booked: dict[str, Any] | None, sent_at: datetime
) -> bool:
    """A booked client writing before their appointment is over (to confirm, ask, move it, ...) or answering
    an aftercare message stays on its lead."""
    if booked is None:
        return False
    if datetime.fromisoformat(booked["end"]) > sent_at:
        return True
    last_aftercare = await session.scalar(
        select(func.max(ScheduledMessage.sent_at)).where(ScheduledMessage.lead_id == lead_id)
    )
    return last_aftercare is not None and sent_at - last_aftercare <= AFTERCARE_REPLY_WINDOW


def _taps_that_appointment(status: str, text: str | None) -> bool:
    return status in _APPOINTMENT_ENDED and (text or "").startswith(APPOINTMENT_BUTTON_PREFIX)


async def record_inbound(
    session: AsyncSession,
    *,
    wamid: str,
    client: ClientIdentity,
    profile_name: str | None,
    kind: str,
    text: str | None,
    sent_at: datetime,
    raw: dict[str, Any],
) -> Recorded | None:
    """Store the message; None when Meta delivered it before (same wamid)."""
    contact = await _contact_for(session, client, profile_name)
    wa_id = contact.wa_id
    # The contact's newest lead (only the columns deciding whether it is still current: the whole row,
    # its consultation included, would be decoded for nothing) and whether this message is stored already,
    # in one round trip; a contact with no lead yet returns no row, and asks the second question alone.
    seen = select(InboundMessage.wamid).where(InboundMessage.wamid == wamid).exists()
    newest = (
        await session.execute(
            select(Lead.id, Lead.status, Lead.booking_range, seen.label("seen"))
            .where(Lead.wa_id == wa_id)
            .order_by(Lead.created_at.desc(), Lead.id)
            .limit(1)
        )
    ).first()
    duplicate = bool(await session.scalar(select(seen))) if newest is None else bool(newest.seen)
    if duplicate:
        return None
    if newest is not None and (
        newest.status not in FINISHED_STATUSES
        or _taps_that_appointment(newest.status, text)
        or (
            newest.status == "booked"
            and await _booking_still_current(session, newest.id, newest.booking_range, sent_at)
        )
    ):
        lead_id, created = newest.id, False
    else:
        lead = Lead(id=uuid.uuid4(), wa_id=wa_id, status=NEW_STATUS)
        session.add(lead)
        await session.flush()
        lead_id, created = lead.id, True
    inserted = await session.execute(
        insert(InboundMessage)
        .values(wamid=wamid, lead_id=lead_id, wa_id=wa_id, kind=kind, text=text, sent_at=sent_at, raw=raw)
        .on_conflict_do_nothing(index_elements=["wamid"])
        .returning(InboundMessage.wamid)
    )
    if inserted.scalar_one_or_none() is None:
        return None
    known = ClientIdentity(phone=contact.phone, bsuid=contact.bsuid, username=contact.username)
    return Recorded(lead_id=lead_id, lead_created=created, address=wa_id, client=known)


async def _contact_for(session: AsyncSession, client: ClientIdentity, profile_name: str | None) -> Contact:
    """The person's contact, found by either identifier and locked; created on their first message, and
    told any identifier it did not know yet (the phone a username client reveals, a BSUID Meta adds)."""
    # The contact's row lock serialises everything about one person: two webhook deliveries racing for
    # a new client create one lead, and a lead's messages are recorded in order.
    identifiers = [value for value in (client.phone, client.bsuid) if value is not None]
    matches = or_(
        Contact.wa_id.in_(identifiers), Contact.phone.in_(identifiers), Contact.bsuid.in_(identifiers)
    )
    locked = select(Contact).where(matches).order_by(Contact.created_at).with_for_update()
    # Someone who wrote before (nearly every message) is found and locked in one statement.
    found = list(await session.scalars(locked))
    if not found:
        # A new person is addressed by their phone when Meta shares it (as everyone was before
        # usernames), else by their BSUID. Any unique clash (address, phone or BSUID) means someone else's
        # transaction got there first: PostgreSQL waits for it, and the second lookup finds their row.
        address = client.phone or client.bsuid
        await session.execute(
            insert(Contact)
            .values(
                wa_id=address,
                phone=client.phone,
                bsuid=client.bsuid,
                username=client.username,
                profile_name=profile_name,
            )
            .on_conflict_do_nothing()
        )
        found = list(await session.scalars(locked))
    contact = found[0]
    if len(found) > 1:
        # One person on two contacts: known by phone alone and by BSUID alone before a message showed
        # both. They are not merged here, on purpose. The other services key the person by address
        # (the notifier's window and consent, campaigns' contact, history and sequences, the leads spreadsheet),
        # so a merge is a change of address in every one of them, not a row update here; each contact may
        # hold a live lead (a hold, a paid deposit, a booking) that a merge would have to choose between;
        # and a STOP given on either must survive it. Until then the older contact keeps this message,
        # the other keeps what it has and gets messages Meta sends with its identifier alone, and the
        # warning names both so an operator can tell the artist.
        log.warning(
            "client_identifiers_on_two_contacts",
            kept=contact.wa_id,
            other=found[1].wa_id,
            reason="one person known by phone and by business-scoped user ID separately; not merged",
        )
        return contact
    if client.phone is not None and contact.phone is None:
        contact.phone = client.phone
    if client.bsuid is not None and contact.bsuid is None:
        contact.bsuid = client.bsuid
    if client.username is not None:
        contact.username = client.username
    await session.flush()
    return contact


async def link_identifiers(
    session: AsyncSession, *, known: ClientIdentity, new_phone: str | None, new_bsuid: str | None
) -> IdentityLinked | None:
    """Give the contact known by `known` its new phone number and/or BSUID (Meta's notice that the
    client changed number, or that their BSUID changed), so their next message finds them.

    The contact's address and every identifier it has now when that changed anything; None when no
    contact is known by those identifiers, another contact already holds a new one, or the contact has
    them already (Meta delivering the notice again)."""
    identifiers = [value for value in (known.phone, known.bsuid) if value is not None]
    contact = await session.scalar(
        select(Contact)
        .where(
            or_(
                Contact.wa_id.in_(identifiers), Contact.phone.in_(identifiers), Contact.bsuid.in_(identifiers)
            )
        )
        .order_by(Contact.created_at)
        .limit(1)
        .with_for_update()
    )
    if contact is None:
        log.info("identity_change_for_unknown_client")
        return None
    for column, value in ((Contact.phone, new_phone), (Contact.bsuid, new_bsuid)):
        if value is None:
            continue
        holder = await session.scalar(select(Contact.wa_id).where(column == value))
        if holder is not None and holder != contact.wa_id:
            # Someone already wrote from the new identifier as a new contact: merging two histories is
            # the artist's call, not ours.
            log.warning("identity_change_already_taken", field=column.key)
            return None
    before = (contact.phone, contact.bsuid)
    contact.phone = new_phone or contact.phone
    contact.bsuid = new_bsuid or contact.bsuid
    if (contact.phone, contact.bsuid) == before:
        return None
    await session.flush()
    now = ClientIdentity(phone=contact.phone, bsuid=contact.bsuid, username=contact.username)
    return IdentityLinked(address=contact.wa_id, client=now)
