"""The Inbox's words: who said each message, what a client's attachment is, and when."""

from __future__ import annotations

from datetime import UTC, datetime

from inkline_studio.domain.inbox_wording import media_label, message_time, sender_label


def test_the_client_is_named_the_artist_is_you_and_the_rest_is_the_assistant() -> None:
    assert sender_label("client", "Sam") == "Sam"
    assert sender_label("client", None) == "Client"
    assert sender_label("artist", "Sam") == "You"
    assert sender_label("assistant", "Sam") == "Assistant"


def test_a_voice_note_and_a_picture_say_what_opening_them_does() -> None:
    assert media_label("audio") == "Play voice note"
    assert media_label("image") == "Open picture"
    assert media_label("location") == "Open attachment"


def test_a_message_time_reads_on_the_artists_clock() -> None:
    # 23:30 UTC on 3 Dec is already the 4th in Berlin; in summer London is an hour ahead of UTC.
    assert message_time(datetime(2026, 12, 3, 23, 30, tzinfo=UTC), "Europe/Berlin") == "4 Dec, 00:30"
    assert message_time(datetime(2026, 7, 3, 9, 5, tzinfo=UTC), "Europe/London") == "3 Jul, 10:05"


def test_a_message_time_without_a_known_zone_reads_in_utc_and_says_so() -> None:
    assert message_time(datetime(2026, 12, 3, 9, 5, tzinfo=UTC)) == "3 Dec, 09:05 UTC"
    assert message_time(datetime(2026, 12, 3, 9, 5, tzinfo=UTC), "Mars/Olympus") == "3 Dec, 09:05 UTC"
