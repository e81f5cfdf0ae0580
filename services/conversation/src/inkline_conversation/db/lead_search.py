"""Finding leads for the studio's search box: by the client's name, @username, the last digits of their
phone, or words of the tattoo idea, across every lead (10,000 and more), a page at a time.

Each way of matching has a trigram index of its own (migration 0012), so a `LIKE '%…%'` is an index scan
rather than a read of every row; the two tables are searched apart and their lead ids united, as one `OR`
across a join could use neither table's index. Pages follow the board's order (latest change first) by
keyset, so page 50 costs what page 1 costs.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, String, and_, literal_column, or_, select, union

from inkline_conversation.db.models import Contact, Lead

# The indexed expressions, written out as migration 0012 created them: PostgreSQL uses an expression's
# index only for the same expression, and bound parameters in place of its constants would not be.
CONTACT_WORDS = literal_column(
    "lower(coalesce(contacts.profile_name, '') || ' ' || coalesce(contacts.username, ''))", String
)
LEAD_IDEA = literal_column("lower(leads.qualified ->> 'idea')", String)
# Fewer digits than this match too many phones to be what the artist means.
MIN_DIGITS = 3
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_lead_ids(text: str) -> Select[tuple[uuid.UUID]]:
    """Ids of the leads whose client or idea matches `text`."""
    term = text.strip().lstrip("@").strip().lower()
    by_contact: list[ColumnElement[bool]] = [CONTACT_WORDS.like(_like(term))]
    digits = re.sub(r"\D", "", term)
    if _PHONE_LIKE.match(term) and len(digits) >= MIN_DIGITS:
        by_contact += [Contact.wa_id.like(f"%{digits}"), Contact.phone.like(f"%{digits}")]
    contacts = select(Lead.id).join(Contact, Contact.wa_id == Lead.wa_id).where(or_(*by_contact))
    ideas = select(Lead.id).where(LEAD_IDEA.like(_like(term)))
    found = union(contacts, ideas).subquery()
    return select(found.c.id)


def after_cursor(changed_at: datetime, lead_id: uuid.UUID) -> ColumnElement[bool]:
    """The leads after (older than) the last one of the previous page, in the board's order."""
    return or_(
        Lead.status_changed_at < changed_at,
        and_(Lead.status_changed_at == changed_at, Lead.id > lead_id),
    )
