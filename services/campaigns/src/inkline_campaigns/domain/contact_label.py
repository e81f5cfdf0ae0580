"""How the artist's lists name a contact who may have no name on file."""

from __future__ import annotations

from inkline_contracts.base import is_phone


def contact_label(*, profile_name: str | None, username: str | None, wa_id: str) -> str:
    """`Ana`, else `@inked.sam`, else the end of their address: `…0001`, or `GB.…1918` for a client known
    only by a business-scoped user ID (its country says more than its digits)."""
    if profile_name:
        return profile_name
    if username:
        return f"@{username.lstrip('@')}"
    if is_phone(wa_id):
        return f"…{wa_id[-4:]}"
    country, _, rest = wa_id.rpartition(".")
    return f"{country}.…{rest[-4:]}"
