import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.size import Size, parse_size


@pytest.mark.parametrize(
    ("text", "length", "width"),
    [
        ("10x15cm", 15.0, 10.0),
        ("10 x 15 cm", 15.0, 10.0),
        ("10cm x 15cm please", 15.0, 10.0),
        ("10 by 15cm", 15.0, 10.0),
        ("10\u00d715 cm 🙏", 15.0, 10.0),
        ('4" x 6"', 15.2, 10.2),
    ],
)
def test_two_dimensions_are_read_as_length_and_width_in_cm(text: str, length: float, width: float) -> None:
    result = parse_size(text)

    assert isinstance(result, Size)
    assert (result.length_cm, result.width_cm) == (length, width)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("4 inches", 10.2),
        ("4in", 10.2),
        ("About 8cm", 8.0),
        ("15cm tall", 15.0),
        ("like 150mm", 15.0),
        ("maybe 3 Inch wide?", 7.6),
        ("half an inch", 1.3),
    ],
)
def test_single_dimension_is_converted_to_cm(text: str, length: float) -> None:
    result = parse_size(text)

    assert isinstance(result, Size)
    assert result.length_cm == length
    assert result.width_cm is None


def test_about_marks_the_size_as_approximate() -> None:
    assert parse_size("about 8cm") == Size(length_cm=8.0, approximate=True)
    assert parse_size("8cm") == Size(length_cm=8.0, approximate=False)


def test_size_is_found_inside_a_longer_description() -> None:
    assert parse_size("a small rose on my wrist, about 5cm") == Size(length_cm=5.0, approximate=True)


@pytest.mark.parametrize(
    "text", ["not too big", "Medium", "not sure tbh", "idk, smallish?", "whatever you think"]
)
def test_vague_sizes_fail_with_a_hint_asking_for_a_number(text: str) -> None:
    assert parse_size(text) == ParseFailure(reason="vague", hint_key="repair.size")


def test_numbers_without_units_fail_because_cm_and_inches_differ_so_much() -> None:
    assert parse_size("10x15") == ParseFailure(reason="no_unit", hint_key="repair.size")
    assert parse_size("about 10") == ParseFailure(reason="no_unit", hint_key="repair.size")


def test_in_followed_by_a_place_is_not_an_inch() -> None:
    assert parse_size("5 in london") == ParseFailure(reason="no_unit", hint_key="repair.size")


def test_absurd_sizes_are_rejected_as_implausible() -> None:
    assert parse_size("3000cm") == ParseFailure(reason="implausible", hint_key="repair.size")


def test_area_of_a_single_dimension_is_a_square() -> None:
    assert Size(length_cm=10.0).area_cm2 == 100.0
    assert Size(length_cm=15.0, width_cm=10.0).area_cm2 == 150.0


@pytest.mark.parametrize(
    ("text", "named", "long_side"),
    [
        ("palm sized", "palm", 10.0),
        ("como la palma de mi mano", "palm", 10.0),
        ("A5", "A5", 21.0),
        ("half sleeve", "half sleeve", 30.0),
        ("une demi-manche", "half sleeve", 30.0),
        ("full back", "full back", 55.0),
    ],
)
def test_sizes_named_instead_of_measured_are_estimated_and_keep_their_name(
    text: str, named: str, long_side: float
) -> None:
    size = parse_size(text)
    assert isinstance(size, Size)
    assert (size.named, size.length_cm, size.approximate) == (named, long_side, True)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("ca. 15 Zentimeter", 15.0),
        ("a foot long", 30.5),
        ("4 pulgadas", 10.2),
        ("3 pouces", 7.6),
        ("2 Zoll", 5.1),
    ],
)
def test_units_are_read_in_every_language(text: str, length: float) -> None:
    size = parse_size(text)
    assert isinstance(size, Size)
    assert size.length_cm == length
