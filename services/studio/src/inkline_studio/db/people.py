"""People and their sign-in links: the studio's repository functions."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_studio.db.models import Person, SignInLink

log = structlog.get_logger(__name__)

ARTIST_ROLE = "artist"


async def ensure_artist(session: AsyncSession, *, wa_id: str, name: str) -> None:
    """First start: the artist from the settings becomes the first person; later starts change nothing.

    `wa_id` is kept to its digits ("+44 7700 900000" is 447700900000); without any, nobody is added yet.
    """
    wa_id = re.sub(r"\D", "", wa_id)
    if not wa_id:
        log.warning(
            "studio.no_artist_number", hint="set ARTIST_WHATSAPP_NUMBER to the artist's WhatsApp number"
        )
        return
    if await session.scalar(select(func.count()).select_from(Person).where(Person.role == ARTIST_ROLE)):
        return
    await session.execute(
        insert(Person)
        .values(person_id=uuid.uuid4(), name=name, wa_id=wa_id, role=ARTIST_ROLE)
        .on_conflict_do_nothing(index_elements=["wa_id"])
    )


async def person_by_number(session: AsyncSession, *, wa_id: str) -> Person | None:
    return await session.scalar(select(Person).where(Person.wa_id == wa_id))


async def get_person(session: AsyncSession, *, person_id: uuid.UUID) -> Person | None:
    return await session.get(Person, person_id)


async def links_sent_since(session: AsyncSession, *, person_id: uuid.UUID, since: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(SignInLink)
        .where(SignInLink.person_id == person_id, SignInLink.created_at > since)
    )
    return int(count or 0)


def add_link(
    session: AsyncSession, *, person_id: uuid.UUID, token_hash: str, now: datetime, lifetime: timedelta
) -> None:
    session.add(
        SignInLink(token_hash=token_hash, person_id=person_id, created_at=now, expires_at=now + lifetime)
    )


async def link_is_usable(session: AsyncSession, *, token_hash: str, now: datetime) -> bool:
    link = await session.get(SignInLink, token_hash)
    return link is not None and link.used_at is None and link.expires_at > now


async def use_link(session: AsyncSession, *, token_hash: str, now: datetime) -> uuid.UUID | None:
    """Mark the link used and return its person, or None if it is unknown, used or expired.

    One UPDATE does the check and the marking, so two taps racing on one link sign in once.
    """
    result = await session.execute(
        update(SignInLink)
        .where(
            SignInLink.token_hash == token_hash,
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(SignInLink.person_id)
    )
    return result.scalar_one_or_none()
