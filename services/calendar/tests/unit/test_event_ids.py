import base64
import re
import uuid

import pytest

from inkline_calendar.domain.event_ids import event_id_for_booking, is_valid_event_id

# Google Calendar: "characters allowed in the ID are those used in base32hex encoding,
# i.e. lowercase letters a-v and digits 0-9"; "the length of the ID must be between 5 and 1024".
GOOGLE_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
BOOKING_IDS = [
    uuid.UUID(int=0),
    uuid.UUID(int=2**128 - 1),
    *(uuid.uuid5(uuid.NAMESPACE_URL, str(n)) for n in range(200)),
]


def test_event_ids_follow_googles_rules() -> None:
    for booking_id in BOOKING_IDS:
        event_id = event_id_for_booking(booking_id)
        assert GOOGLE_EVENT_ID.fullmatch(event_id), (booking_id, event_id)
        assert is_valid_event_id(event_id)


def test_the_same_booking_always_gets_the_same_event_id() -> None:
    booking_id = uuid.UUID("3f2b8c1e-9a47-4d2e-b6f1-0c5e7a9d4b21")
    assert event_id_for_booking(booking_id) == event_id_for_booking(uuid.UUID(str(booking_id)))


def test_event_ids_are_the_unpadded_lower_case_base32hex_of_the_uuid_bytes() -> None:
    assert event_id_for_booking(uuid.UUID(int=0)) == "0" * 26
    assert event_id_for_booking(uuid.UUID(int=2**128 - 1)) == "v" * 25 + "s"


def test_distinct_bookings_get_distinct_event_ids_that_decode_back_to_the_booking() -> None:
    event_ids = {event_id_for_booking(booking_id): booking_id for booking_id in BOOKING_IDS}
    assert len(event_ids) == len(BOOKING_IDS)
    for event_id, booking_id in event_ids.items():
        decoded = base64.b32hexdecode(event_id.upper() + "======")
        assert uuid.UUID(bytes=decoded) == booking_id


@pytest.mark.parametrize(
    "candidate",
    ["abcd", "w" * 10, "ABCDEFGH", "abc-def-ghi", "abcdefgh=", "a" * 1025, ""],
)
def test_ids_breaking_googles_rules_are_recognised_as_invalid(candidate: str) -> None:
    assert not is_valid_event_id(candidate)


def test_ids_at_the_length_limits_are_valid() -> None:
    assert is_valid_event_id("0" * 5)
    assert is_valid_event_id("v" * 1024)
