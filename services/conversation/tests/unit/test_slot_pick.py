from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_conversation.domain.parsing.slot_pick import (
    Ambiguous,
    NoMatch,
    OfferedSlot,
    Picked,
    parse_slot_pick,
)

LONDON = ZoneInfo("Europe/London")


def slot(slot_id: str, day: int, hour: int) -> OfferedSlot:
    start = datetime(2025, 3, day, hour, tzinfo=LONDON)
    return OfferedSlot(slot_id=slot_id, start=start, end=start.replace(hour=hour + 3))


# Thu 13th morning, Fri 14th 2pm, Fri 14th 6pm, Fri 21st 2pm.
SLOTS = [slot("slot-a", 13, 10), slot("slot-b", 14, 14), slot("slot-c", 14, 18), slot("slot-d", 21, 14)]


def pick(text: str) -> Picked | Ambiguous | NoMatch:
    return parse_slot_pick(text, slots=SLOTS, tz=LONDON)


def test_an_interactive_reply_id_picks_that_slot() -> None:
    assert pick("slot-c") == Picked("slot-c")


@pytest.mark.parametrize(
    "text", ["2", "option 2", "Option 2 please!", "#2", "the second one", "2nd", "number 2 👍"]
)
def test_option_numbers_and_ordinals_pick_by_position(text: str) -> None:
    assert pick(text) == Picked("slot-b")


def test_the_last_one_picks_the_final_slot() -> None:
    assert pick("the last one pls") == Picked("slot-d")


def test_an_option_number_past_the_list_matches_nothing() -> None:
    assert pick("7") == NoMatch()


def test_a_weekday_and_day_part_narrow_down_but_can_stay_ambiguous() -> None:
    assert pick("Thursday morning") == Picked("slot-a")
    assert pick("Friday afternoon") == Ambiguous(("slot-b", "slot-d"))


def test_day_of_month_with_time_picks_one_slot() -> None:
    assert pick("the 14th at 2pm") == Picked("slot-b")
    assert pick("14/3 2pm") == Picked("slot-b")
    assert pick("14th March, 6pm") == Picked("slot-c")
    assert pick("the 14th at 18:00") == Picked("slot-c")


def test_a_day_with_two_slots_is_ambiguous() -> None:
    assert pick("the 14th") == Ambiguous(("slot-b", "slot-c"))


def test_a_day_with_no_slot_matches_nothing() -> None:
    assert pick("tuesday?") == NoMatch()
    assert pick("yes please") == NoMatch()
    assert pick("🤷") == NoMatch()


def test_slot_times_are_compared_in_the_clients_timezone() -> None:
    new_york = ZoneInfo("America/New_York")
    # 2pm London on 14 March 2025 is 10am in New York.
    assert parse_slot_pick("friday 10am", slots=SLOTS, tz=new_york) == Ambiguous(("slot-b", "slot-d"))
    assert parse_slot_pick("3/14 10am", slots=SLOTS, tz=new_york) == Picked("slot-b")


def test_no_offered_slots_means_no_match() -> None:
    assert parse_slot_pick("1", slots=[], tz=LONDON) == NoMatch()


@pytest.mark.parametrize(
    ("text", "position"),
    [("la segunda", 2), ("el segundo", 2), ("le premier", 1), ("l'ultimo", 4), ("die erste bitte", 1)],
)
def test_ordinals_in_every_language_pick_by_position(text: str, position: int) -> None:
    assert parse_slot_pick(text, slots=SLOTS, tz=LONDON) == Picked(slot_id=SLOTS[position - 1].slot_id)


@pytest.mark.parametrize("text", ["either 1 or 2 is fine", "1 oder 3, beides ok"])
def test_two_options_named_together_are_offered_back_not_picked(text: str) -> None:
    assert isinstance(parse_slot_pick(text, slots=SLOTS, tz=LONDON), Ambiguous)


@pytest.mark.parametrize(
    ("text", "slot_id"),
    [
        ("jueves por la mañana", "slot-a"),
        ("Donnerstag vormittag", "slot-a"),
        ("vendredi soir", "slot-c"),
        ("venerdì sera", "slot-c"),
        ("quinta", "slot-a"),
    ],
)
def test_days_and_parts_of_the_day_are_understood_in_every_language(text: str, slot_id: str) -> None:
    assert pick(text) == Picked(slot_id=slot_id)
