"""Who sent a webhook message: their phone, business-scoped user ID (BSUID) and username, as Meta gives them.

A message names its sender by `from` (phone) and `from_user_id` (BSUID); the change's `contacts` entry for
that sender repeats them as `wa_id` and `user_id`, with the profile's name and username. Either identifier
may be missing (a username hides the phone; a payload from before April 2026 has no BSUID), and a value
that does not read as what it should be is dropped rather than trusted. A sender left with neither a
phone nor a BSUID cannot be answered, so the message is quarantined by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from inkline_contracts.base import USERNAME_MAX_LENGTH, Bsuid, ClientIdentity, WaId
from inkline_conversation.api.meta_payload import ContactInfo, Message
from inkline_conversation.db.pg_text import find_unstorable

# contacts.profile_name; a longer name is cut, never a reason to lose the message.
PROFILE_NAME_MAX_LENGTH = 200
_PHONE: TypeAdapter[str] = TypeAdapter(WaId)
_BSUID: TypeAdapter[str] = TypeAdapter(Bsuid)


@dataclass(frozen=True)
class Sender:
    identity: ClientIdentity
    profile_name: str | None


def phone_or_none(value: str | None) -> str | None:
    try:
        return _PHONE.validate_python(value) if value is not None else None
    except ValidationError:
        return None


def bsuid_or_none(value: str | None) -> str | None:
    try:
        return _BSUID.validate_python(value) if value is not None else None
    except ValidationError:
        return None


def read_sender(message: Message, contacts: list[ContactInfo]) -> Sender | None:
    """The message's sender, or None when it carries no usable phone number nor BSUID."""
    contact = _contact_of(message, contacts)
    # Some integrations have seen a BSUID in `from` itself once the phone is hidden: read it as one.
    phone = phone_or_none(message.from_) or phone_or_none(contact.wa_id if contact else None)
    bsuid = (
        bsuid_or_none(message.from_user_id)
        or bsuid_or_none(message.from_)
        or bsuid_or_none(contact.user_id if contact else None)
    )
    if phone is None and bsuid is None:
        return None
    username = _storable(contact.profile.username if contact else None, USERNAME_MAX_LENGTH)
    name = _storable(contact.profile.name if contact else None, PROFILE_NAME_MAX_LENGTH)
    return Sender(ClientIdentity(phone=phone, bsuid=bsuid, username=username), name)


def _contact_of(message: Message, contacts: list[ContactInfo]) -> ContactInfo | None:
    for contact in contacts:
        if (contact.wa_id is not None and contact.wa_id == message.from_) or (
            contact.user_id is not None and contact.user_id in (message.from_user_id, message.from_)
        ):
            return contact
    # A message that names its sender by neither field still belongs to the change's only contact.
    if len(contacts) == 1 and message.from_ is None and message.from_user_id is None:
        return contacts[0]
    return None


def _storable(text: str | None, max_length: int) -> str | None:
    if text is None or find_unstorable(text) is not None:
        return None
    return text[:max_length]
