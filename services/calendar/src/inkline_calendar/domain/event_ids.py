"""Google Calendar event ids derived from booking ids, so retried inserts are idempotent.

Google accepts client-supplied ids made of base32hex characters (lower-case a-v and
digits 0-9), 5 to 1024 characters long. Re-inserting an existing id fails with 409,
which turns a retried ``events.insert`` into a harmless duplicate instead of a second event.
"""

from __future__ import annotations

import base64
import re
import uuid

EVENT_ID_MIN_LENGTH = 5
EVENT_ID_MAX_LENGTH = 1024
_EVENT_ID = re.compile(r"[0-9a-v]+")


def event_id_for_booking(booking_id: uuid.UUID) -> str:
    # 16 bytes encode to 26 base32hex characters plus padding, which Google forbids.
    return base64.b32hexencode(booking_id.bytes).decode("ascii").rstrip("=").lower()


def is_valid_event_id(candidate: str) -> bool:
    return (
        EVENT_ID_MIN_LENGTH <= len(candidate) <= EVENT_ID_MAX_LENGTH
        and _EVENT_ID.fullmatch(candidate) is not None
    )
