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

from pydantic import TypeAdapter, ValidationError

from inkline_contracts.base import WaId
from inkline_conversation.api.meta_payload import ContactInfo, Message, Status
from inkline_conversation.db.pg_text import find_unstorable
from inkline_conversation.db.quarantine import ItemKind, Reason, SetAside

# contacts.profile_name; a longer name is cut, never a reason to lose the message.
PROFILE_NAME_MAX_LENGTH = 200
_WA_ID: TypeAdapter[str] = TypeAdapter(WaId)


@dataclass(frozen=True)
class InboundItem:
    message: Message
    raw: dict[str, Any]
    profile_name: str | None


@dataclass(frozen=True)
class StatusItem:
    status: Status
    raw: dict[str, Any]


@dataclass
class Batch:
    messages: list[InboundItem] = field(default_factory=list)
    statuses: list[StatusItem] = field(default_factory=list)
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
    names = _profile_names(value.get("contacts"))
    for raw in messages:
        read = _read_message(raw)
        if isinstance(read, SetAside):
            batch.set_aside.append(read)
        else:
            batch.messages.append(InboundItem(read, raw, names.get(read.from_)))
    for raw in statuses:
        status = _read_status(raw)
        if isinstance(status, SetAside):
            batch.set_aside.append(status)
        else:
            batch.statuses.append(StatusItem(status, raw))


def _wamid(raw: Any) -> str | None:
    wamid = raw.get("id") if isinstance(raw, dict) else None
    return wamid if isinstance(wamid, str) else None


def _read_message(raw: Any) -> Message | SetAside:
    unstorable = find_unstorable(raw)
    if unstorable is not None:
        return SetAside(ItemKind.MESSAGE, Reason.UNSTORABLE_TEXT, unstorable, raw, _wamid(raw))
    try:
        message = Message.model_validate(raw)
        _WA_ID.validate_python(message.from_)
        datetime.fromtimestamp(int(message.timestamp), UTC)
    except ValidationError as exc:
        return SetAside(ItemKind.MESSAGE, Reason.INVALID_MESSAGE, describe(exc), raw, _wamid(raw))
    except (ValueError, OverflowError, OSError):
        return SetAside(ItemKind.MESSAGE, Reason.INVALID_MESSAGE, "timestamp: not a time", raw, _wamid(raw))
    return message


def _read_status(raw: Any) -> Status | SetAside:
    unstorable = find_unstorable(raw)
    if unstorable is not None:
        return SetAside(ItemKind.STATUS, Reason.UNSTORABLE_TEXT, unstorable, raw, _wamid(raw))
    try:
        status = Status.model_validate(raw)
        _WA_ID.validate_python(status.recipient_id)
        int(status.timestamp)
    except ValidationError as exc:
        return SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, describe(exc), raw, _wamid(raw))
    except ValueError:
        return SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, "timestamp: not a number", raw, _wamid(raw))
    return status


def _profile_names(contacts: Any) -> dict[str, str | None]:
    """Each sender's profile name; a contact that does not read, or a name that cannot be stored, is
    simply left out (the message itself is still good)."""
    names: dict[str, str | None] = {}
    for raw in contacts if isinstance(contacts, list) else []:
        try:
            contact = ContactInfo.model_validate(raw)
        except ValidationError:
            continue
        name = contact.profile.name
        if name is not None and find_unstorable(name) is None:
            names[contact.wa_id] = name[:PROFILE_NAME_MAX_LENGTH]
    return names
