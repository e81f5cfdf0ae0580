"""One webhook POST split into the messages and statuses it carries, each checked on its own.

Meta may batch several entries, changes, messages and statuses in one POST. An item that cannot be
handled must not take the others down with it, nor fail the POST so that Meta sends the good ones again
with it: it is set aside with its reason (db/quarantine) and the others are stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from inkline_contracts.base import ClientIdentity
from inkline_conversation.api.meta_payload import ContactInfo, Message, Status
from inkline_conversation.api.sender_identity import Sender, bsuid_or_none, phone_or_none, read_sender
from inkline_conversation.db.pg_text import find_unstorable
from inkline_conversation.db.quarantine import ItemKind, Reason, SetAside


@dataclass(frozen=True)
class InboundItem:
    message: Message
    raw: dict[str, Any]
    sender: Sender


@dataclass(frozen=True)
class StatusItem:
    status: Status
    raw: dict[str, Any]


@dataclass(frozen=True)
class IdentityChange:
    """A client known as `known` now has a new phone number and/or BSUID (a `system` message)."""

    known: ClientIdentity
    new_phone: str | None
    new_bsuid: str | None
    wamid: str


@dataclass
class Batch:
    messages: list[InboundItem] = field(default_factory=list)
    statuses: list[StatusItem] = field(default_factory=list)
    identity_changes: list[IdentityChange] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)


def describe(exc: ValidationError) -> str:
    """The fields that failed and why, without their values (phone numbers, the client's words)."""
    problems = exc.errors(include_url=False, include_input=False, include_context=False)
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or '$'}: {problem['msg']}" for problem in problems
    )


def read_batch(body: bytes) -> Batch:
    """Every message and status of a (signed) webhook body; never raises for what the body contains."""
    batch = Batch()
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested beyond reason
        text = body.decode("utf-8", "backslashreplace")
        batch.set_aside.append(SetAside(ItemKind.PAYLOAD, Reason.NOT_JSON, type(exc).__name__, text))
        return batch
    entries = payload.get("entry") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        batch.set_aside.append(
            SetAside(ItemKind.PAYLOAD, Reason.MALFORMED_PAYLOAD, "no list of entries", payload)
        )
        return batch
    for entry in entries:
        changes = entry.get("changes", []) if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            batch.set_aside.append(
                SetAside(
                    ItemKind.PAYLOAD, Reason.MALFORMED_PAYLOAD, "an entry without a list of changes", entry
                )
            )
            continue
        for change in changes:
            _read_change(change, batch)
    return batch


def _refuse_constant(name: str) -> Any:
    # Python reads NaN and Infinity; JSON (and so JSONB) has no such numbers.
    raise ValueError(f"{name} is not JSON")


def _read_change(change: Any, batch: Batch) -> None:
    value = change.get("value") if isinstance(change, dict) else None
    messages = value.get("messages", []) if isinstance(value, dict) else None
    statuses = value.get("statuses", []) if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(messages, list) or not isinstance(statuses, list):
        batch.set_aside.append(
            SetAside(ItemKind.PAYLOAD, Reason.MALFORMED_PAYLOAD, "a change without a readable value", change)
        )
        return
    contacts = _contacts(value.get("contacts"))
    for raw in messages:
        read = _read_message(raw, contacts)
        if isinstance(read, SetAside):
            batch.set_aside.append(read)
        elif read[0].type == "system":
            change = _identity_change(*read)
            if change is not None:
                batch.identity_changes.append(change)
        else:
            batch.messages.append(InboundItem(read[0], raw, read[1]))
    for raw in statuses:
        status = _read_status(raw)
        if isinstance(status, SetAside):
            batch.set_aside.append(status)
        else:
            batch.statuses.append(StatusItem(status, raw))


def _wamid(raw: Any) -> str | None:
    wamid = raw.get("id") if isinstance(raw, dict) else None
    return wamid if isinstance(wamid, str) else None


def _read_message(raw: Any, contacts: list[ContactInfo]) -> tuple[Message, Sender] | SetAside:
    unstorable = find_unstorable(raw)
    if unstorable is not None:
        return SetAside(ItemKind.MESSAGE, Reason.UNSTORABLE_TEXT, unstorable, raw, _wamid(raw))
    try:
        message = Message.model_validate(raw)
        datetime.fromtimestamp(int(message.timestamp), UTC)
    except ValidationError as exc:
        return SetAside(ItemKind.MESSAGE, Reason.INVALID_MESSAGE, describe(exc), raw, _wamid(raw))
    except (ValueError, OverflowError, OSError):
        return SetAside(ItemKind.MESSAGE, Reason.INVALID_MESSAGE, "timestamp: not a time", raw, _wamid(raw))
    sender = read_sender(message, contacts)
    if sender is None:
        detail = "from, from_user_id, contacts: no phone number nor business-scoped user ID"
        return SetAside(ItemKind.MESSAGE, Reason.INVALID_MESSAGE, detail, raw, _wamid(raw))
    return message, sender


def _read_status(raw: Any) -> Status | SetAside:
    unstorable = find_unstorable(raw)
    if unstorable is not None:
        return SetAside(ItemKind.STATUS, Reason.UNSTORABLE_TEXT, unstorable, raw, _wamid(raw))
    try:
        status = Status.model_validate(raw)
        int(status.timestamp)
    except ValidationError as exc:
        return SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, describe(exc), raw, _wamid(raw))
    except ValueError:
        return SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, "timestamp: not a number", raw, _wamid(raw))
    if recipient_address(status) is None:
        detail = "recipient_id, recipient_user_id: no phone number nor business-scoped user ID"
        return SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, detail, raw, _wamid(raw))
    return status


def _identity_change(message: Message, sender: Sender) -> IdentityChange | None:
    """What a `system` message tells about the client's identifiers; None for other notices (a profile
    change), which need nothing from us and are not the client talking."""
    notice = message.system
    if notice is None:
        return None
    new_phone = phone_or_none(notice.wa_id) or phone_or_none(notice.new_wa_id)
    new_bsuid = bsuid_or_none(notice.user_id)
    if new_phone is None and new_bsuid is None:
        return None
    known = sender.identity
    previous = bsuid_or_none(notice.previous_user_id)
    if previous is not None:
        # The ID we hold for them is the previous one, whichever one `from_user_id` names.
        known = known.model_copy(update={"bsuid": previous})
    return IdentityChange(known, new_phone, new_bsuid, message.id)


def recipient_address(status: Status) -> str | None:
    """Whom a status is about: the phone when Meta shares it (sends to a phone), else the BSUID."""
    return phone_or_none(status.recipient_id) or bsuid_or_none(status.recipient_user_id)


def _contacts(contacts: Any) -> list[ContactInfo]:
    """The change's contacts that read; one that does not is left out (the message itself may still be
    good: its own `from` and `from_user_id` name the sender)."""
    read: list[ContactInfo] = []
    for raw in contacts if isinstance(contacts, list) else []:
        try:
            read.append(ContactInfo.model_validate(raw))
        except ValidationError:
            continue
    return read
