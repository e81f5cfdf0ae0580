import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.location import (
    Location,
    load_gazetteer,
    parse_location,
    parse_shared_location,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("London", Location("London", "GB")),
        ("London, UK", Location("London", "GB")),
        ("berlin germany", Location("Berlin", "DE")),
        ("I'm in Manchester", Location("Manchester", "GB")),
        ("based in NYC 🗽", Location("New York", "US")),
        ("Köln", Location("Cologne", "DE")),
        ("near Brighton, England", Location("Brighton", "GB")),
    ],
)
def test_known_cities_resolve_to_city_and_country(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


def test_an_unknown_city_is_accepted_when_the_country_is_explicit() -> None:
    assert parse_location("Tübingen, Germany") == Location("Tübingen", "DE")
    assert parse_location("I live in hebden bridge, uk") == Location("Hebden Bridge", "GB")


def test_an_explicit_country_next_to_the_city_wins_over_the_gazetteer() -> None:
    assert parse_location("Birmingham, US") == Location("Birmingham", "US")


def test_a_distant_us_in_a_sentence_does_not_move_the_city_abroad() -> None:
    assert parse_location("Leeds, come and see us sometime") == Location("Leeds", "GB")


def test_country_names_match_whole_words_only() -> None:
    # "many" contains "any", "germany" must not be found inside other words either.
    assert parse_location("I live in many places") == ParseFailure(
        reason="unknown_place", hint_key="repair.location"
    )


@pytest.mark.parametrize("text", ["asdfgh", "somewhere nice", "idk lol"])
def test_gibberish_fails(text: str) -> None:
    assert isinstance(parse_location(text), ParseFailure)


def test_a_country_alone_asks_for_the_city() -> None:
    assert parse_location("Germany") == ParseFailure(reason="no_city", hint_key="repair.location")


def test_the_gazetteer_knows_tens_of_thousands_of_cities_with_two_letter_country_codes() -> None:
    gazetteer = load_gazetteer()
    canonical = {city for city, _ in gazetteer.cities.values()}

    assert len(canonical) >= 30_000
    assert all(len(code) == 2 and code.isupper() for _, code in gazetteer.cities.values())
    assert set(gazetteer.countries.values()) >= {"GB", "DE", "US", "AU", "FR", "ES", "BR", "MX"}


@pytest.mark.parametrize(
    ("name", "address", "expected"),
    [
        ("Tate Modern", "Bankside, London SE1 9TG, United Kingdom", Location("London", "GB")),
        # The street is named after another city: the city nearest the end of the address wins.
        (None, "12 Manchester Road, London E14 3BT, UK", Location("London", "GB")),
        ("Manchester Piccadilly", None, Location("Manchester", "GB")),
        ("Café Tübingen", "Holzmarkt 3, 72070 Tübingen, Germany", Location("Tübingen", "DE")),
    ],
)
def test_a_shared_pin_gives_the_city_of_its_address_or_name(
    name: str | None, address: str | None, expected: Location
) -> None:
    assert parse_shared_location(name, address) == expected


def test_a_bare_pin_has_no_city_to_give() -> None:
    assert isinstance(parse_shared_location(None, None), ParseFailure)
    assert isinstance(parse_shared_location("My place", "somewhere nice"), ParseFailure)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Birmingham, Alabama", Location("Birmingham", "US")),
        ("Paris, Texas", Location("Paris", "US")),
        ("Porto Alegre, Brasil", Location("Porto Alegre", "BR")),
        ("Torino ma posso venire a Milano", Location("Turin", "IT")),
        ("komm aus nürnberg", Location("Nuremberg", "DE")),
        ("Graz 🇦🇹", Location("Graz", "AT")),
        ("Genève, Suisse", Location("Geneva", "CH")),
        ("Ciudad de México", Location("Mexico City", "MX")),
        ("Oxford", Location("Oxford", "GB")),
    ],
)
def test_cities_are_found_by_any_of_their_names_and_placed_by_the_country_or_state_beside_them(
    text: str, expected: Location
) -> None:
    assert parse_location(text) == expected


def test_an_everyday_word_that_is_also_a_town_is_a_place_only_on_its_own_or_beside_its_country() -> None:
    assert isinstance(parse_location("somewhere nice"), ParseFailure)
    assert parse_location("Nice, France") == Location("Nice", "FR")
