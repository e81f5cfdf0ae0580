"""Where the client is ("London", "berlin germany", "I'm in Manchester") via a small gazetteer."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import normalise, phrase_pattern

HINT = "repair.location"
_CUES = re.compile(
    r"(?<![a-z])(i'm|im|i am|i|we're|we are|we|my|our|based|living|live|located|staying|currently|"
    r"in|from|near|outside|around|just|the|of|city|town|area|centre|center|uk-based)(?![a-z])"
)
_PLACE_WORD = re.compile(r"^[a-zà-ÿ][a-zà-ÿ'\-.]*$")
_NOT_PLACES = frozenset(
    {"idk", "dunno", "not", "sure", "no", "yes", "somewhere", "anywhere", "here", "there", "home"}
)
_MAX_UNKNOWN_CITY_WORDS = 3
# House numbers and postcodes in a shared pin's address ("12", "SE1 9TG", "72070").
_POSTAL = re.compile(r"\S*\d\S*")


@dataclass(frozen=True, slots=True)
class Location:
    """A city and its ISO 3166-1 alpha-2 country code."""

    city: str
    country_code: str


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Known cities and country names, keyed by lower-case name or alias."""

    cities: dict[str, tuple[str, str]]
    countries: dict[str, str]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the bundled gazetteer data file."""
    raw = resources.files("inkline_conversation.domain.data").joinpath("gazetteer.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    cities: dict[str, tuple[str, str]] = {}
    for entry in data["cities"]:
        for name in (entry["name"], *entry.get("aliases", ())):
            cities[name.lower()] = (entry["name"], entry["country"])
    countries = {alias.lower(): code for code, aliases in data["countries"].items() for alias in aliases}
    return Gazetteer(cities=cities, countries=countries)


def _find(text: str, names: dict[str, str] | dict[str, tuple[str, str]]) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    for name in sorted(names, key=len, reverse=True):
        match = phrase_pattern(name).search(text)
        if match is None:
            continue
        # Earliest mention wins; among equal starts the longer name was seen first ("new york city").
        if best is None or match.start() < best[1]:
            best = (name, match.start(), match.end())
    return best


def _adjacent(text: str, *, after: int, start: int) -> bool:
    return re.fullmatch(r"[\s,/\-]*", text[after:start]) is not None


def parse_location(text: str, *, gazetteer: Gazetteer | None = None) -> Location | ParseFailure:
    """Resolve a city and country; an unknown city is accepted only when the country is explicit."""
    places = gazetteer or load_gazetteer()
    cleaned = normalise(text)
    city_hit = _find(cleaned, places.cities)
    country_hit = _find(cleaned, places.countries)
    if city_hit is not None:
        city, city_country = places.cities[city_hit[0]]
        if country_hit is not None and _adjacent(cleaned, after=city_hit[2], start=country_hit[1]):
            # "Birmingham, US" is a different Birmingham; trust the country the client named.
            return Location(city=city, country_code=places.countries[country_hit[0]])
        return Location(city=city, country_code=city_country)
    if country_hit is None:
        return ParseFailure(reason="unknown_place", hint_key=HINT)
    remainder = cleaned[: country_hit[1]] + " " + cleaned[country_hit[2] :]
    remainder = _CUES.sub(" ", remainder)
    words = [word.strip(".-'") for word in re.split(r"[\s,;:!?()/]+", remainder)]
    words = [word for word in words if word]
    if (
        not words
        or len(words) > _MAX_UNKNOWN_CITY_WORDS
        or any(_PLACE_WORD.match(word) is None or word in _NOT_PLACES for word in words)
    ):
        return ParseFailure(reason="no_city", hint_key=HINT)
    city = " ".join(word.capitalize() for word in words)
    return Location(city=city, country_code=places.countries[country_hit[0]])


def parse_shared_location(
    name: str | None, address: str | None, *, gazetteer: Gazetteer | None = None
) -> Location | ParseFailure:
    """The city of a shared location pin, from the place's address (or its name).

    An address runs from the street to the country ("12 Manchester Road, London E14 3BT, UK"), so the
    city nearest its end is the place's city, whatever the street is named after; house numbers and
    postcodes are dropped first. A known city is preferred to a guess from "<words>, <country>".
    """
    places = gazetteer or load_gazetteer()
    parts = [_POSTAL.sub(" ", part) for part in (address or "").split(",")]
    parts = [part for part in parts if part.strip()]
    suffixes = [",".join(parts[start:]) for start in range(len(parts) - 1, -1, -1)]
    found = [parse_location(text, gazetteer=places) for text in suffixes]
    known = [hit for hit in found if isinstance(hit, Location) and hit.city.lower() in places.cities]
    guessed = [hit for hit in found if isinstance(hit, Location)]
    if known or guessed:
        return (known or guessed)[0]
    if name and name.strip():
        return parse_location(name, gazetteer=places)
    return ParseFailure(reason="unknown_place", hint_key=HINT)
