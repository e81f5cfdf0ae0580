"""How the artist sees a client who has no name on file, and how they reach them outside Inkline.

A client with a WhatsApp username may never share their phone number: they are known by a
business-scoped user ID (BSUID), which means nothing to a person and opens no chat. Such a client is
shown by their username, or else by a masked identifier; only a phone number makes a wa.me link.
"""

from __future__ import annotations

from inkline_contracts.base import is_phone
from inkline_platform.logging import mask_phone_numbers


def client_label(*, address: str, phone: str | None, username: str | None) -> str:
    """`@inked.sam`, `+44…23`, or for a BSUID-only client without a username `GB.…18`."""
    if username:
        return f"@{username.lstrip('@')}"
    number = phone or (address if is_phone(address) else None)
    if number is not None:
        return "+" + mask_phone_numbers(number)
    country, _, rest = address.rpartition(".")
    return f"{country}.…{rest[-2:]}"


def chat_link(*, address: str, phone: str | None, username: str | None) -> str:
    """Where the artist can open the chat on their own phone."""
    number = phone or (address if is_phone(address) else None)
    if number is not None:
        return f"https://wa.me/{number}"
    if username:
        return f"@{username.lstrip('@')} on WhatsApp (no number shared)"
    return "reply here, the client has not shared a number"
