"""Where the client is ("London", "Paris, Texas", "komm aus Nürnberg", "Graz 🇦🇹") via a real gazetteer.

The earliest place named wins ("Torino ma posso venire a Milano" is Turin); a longer name beats a shorter
one at the same spot ("Porto Alegre" is not Porto). Among same-named cities, a country or US state named
right after the city decides ("Birmingham, Alabama"), else the biggest one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.places import (
    Gazetteer,
    Place,
    flag_countries,
    fold_name,
    load_gazetteer,
    most_likely,
)

__all__ = ["Gazetteer", "Location", "load_gazetteer", "parse_location", "parse_shared_location"]

HINT = "repair.location"
_CUES = re.compile(
    r"(?<![a-z])(i'm|im|i am|i|we're|we are|we|my|our|based|living|live|located|staying|currently|"
    r"in|from|near|outside|around|just|the|of|city|town|area|centre|center|uk-based)(?![a-z])"
)
_PLACE_WORD = re.compile(r"^[a-zà-ÿ][a-zà-ÿ'\-.]*$")
_NOT_PLACES = frozenset(
    {"idk", "dunno", "not", "sure", "no", "yes", "somewhere", "anywhere", "here", "there", "home"}
)
# Everyday words that are also the name of some town: a place only when they are the whole answer or sit
# right before a country ("Nice, France").
_COMMON_WORDS = frozenset(
    [
        "i",
        "a",
        "an",
        "the",
        "in",
        "of",
        "on",
        "at",
        "to",
        "from",
        "near",
        "and",
        "or",
        "but",
        "my",
        "our",
        "we",
        "us",
        "is",
        "am",
        "are",
        "be",
        "live",
        "living",
        "based",
        "just",
        "city",
        "town",
        "here",
        "there",
        "home",
        "nice",
        "many",
        "places",
        "place",
        "some",
        "best",
        "sale",
        "bath",
        "reading",
        "mobile",
        "split",
        "orange",
        "date",
        "born",
        "goes",
        "van",
        "bar",
        "man",
        "hof",
        "sur",
        "nord",
        "union",
        "marina",
        "santa",
        "san",
        "la",
        "le",
        "el",
        "los",
        "las",
        "de",
        "del",
        "da",
        "do",
        "di",
        "du",
        "como",
        "para",
        "mira",
        "bra",
        "mar",
        "sol",
        "paz",
        "vila",
        "mais",
        "aus",
        "bei",
        "bin",
        "ich",
        "komm",
        "komme",
        "wohne",
        "sono",
        "di",
        "vivo",
        "moro",
        "em",
        "en",
        "y",
        "e",
        "o",
        "ma",
        "posso",
        "venire",
        "je",
        "suis",
        "a",
        "sono",
    ]
)
_MAX_WORDS_IN_A_NAME = 4
_MAX_UNKNOWN_CITY_WORDS = 3
# House numbers and postcodes in a shared pin's address ("12", "SE1 9TG", "72070").
_POSTAL = re.compile(r"\S*\d\S*")


@dataclass(frozen=True, slots=True)
class Location:
    """A city and its ISO 3166-1 alpha-2 country code."""

    city: str
    country_code: str


@dataclass(frozen=True, slots=True)
class _Hit:
    key: str
    first: int  # word positions [first, end)
    end: int


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", fold_name(text))


def _hits(words: list[str], names: Mapping[str, object]) -> list[_Hit]:
    hits = []
    for first in range(len(words)):
        for size in range(min(_MAX_WORDS_IN_A_NAME, len(words) - first), 0, -1):
            key = " ".join(words[first : first + size])
            if key in names:
                hits.append(_Hit(key=key, first=first, end=first + size))
                break
    return hits


def _adjacent_after(hit: _Hit, others: list[_Hit]) -> _Hit | None:
    return next((other for other in others if other.first == hit.end), None)


def parse_location(text: str, *, gazetteer: Gazetteer | None = None) -> Location | ParseFailure:
    """Resolve a city and country; an unknown city is accepted only when the country is explicit."""
    places = gazetteer or load_gazetteer()
    words = _words(text)
    countries = _hits(words, places.countries)
    regions = _hits(words, places.regions)
    named_country = [places.countries[hit.key] for hit in countries] + flag_countries(text)
    country_spans = {(hit.first, hit.end) for hit in countries}
    cities = [
        hit
        for hit in _hits(words, places.places)
        if (hit.first, hit.end) not in country_spans
        and not (
            hit.end - hit.first == 1 and hit.key in _COMMON_WORDS and not _stands_alone(hit, words, countries)
        )
    ]
    if cities:
        city = min(cities, key=lambda hit: (hit.first, -(hit.end - hit.first)))
        return _resolve(city, places, countries=countries, regions=regions, flags=flag_countries(text))
    if not named_country:
        return ParseFailure(reason="unknown_place", hint_key=HINT)
    if not countries:
        return ParseFailure(reason="no_city", hint_key=HINT)
    return _unknown_city(words, countries[0], places)


def _stands_alone(hit: _Hit, words: list[str], countries: list[_Hit]) -> bool:
    return len(words) == 1 or _adjacent_after(hit, countries) is not None


def _resolve(
    city: _Hit, places: Gazetteer, *, countries: list[_Hit], regions: list[_Hit], flags: list[str]
) -> Location:
    candidates = places.places[city.key]
    country_after = _adjacent_after(city, countries)
    region_after = _adjacent_after(city, regions)
    if region_after is not None:
        code, region = places.regions[region_after.key]
        in_region = [p for p in candidates if p.country == code and p.region == region]
        if in_region:
            return _location(most_likely(in_region))
    wanted = places.countries[country_after.key] if country_after else (flags[0] if flags else None)
    if wanted is not None:
        in_country = [p for p in candidates if p.country == wanted]
        if in_country:
            return _location(most_likely(in_country))
        if country_after is not None:
            # "Birmingham, US" where we know no such city: trust the country the client named.
            return Location(city=most_likely(candidates).name, country_code=wanted)
    return _location(most_likely(candidates))


def _location(place: Place) -> Location:
    return Location(city=place.name, country_code=place.country)


def _unknown_city(words: list[str], country: _Hit, places: Gazetteer) -> Location | ParseFailure:
    remainder = " ".join(words[: country.first] + words[country.end :])
    remainder = _CUES.sub(" ", remainder)
    found = [word.strip(".-'") for word in re.split(r"[\s,;:!?()/]+", remainder) if word.strip(".-'")]
    if (
        not found
        or len(found) > _MAX_UNKNOWN_CITY_WORDS
        or any(_PLACE_WORD.match(word) is None or word in _NOT_PLACES for word in found)
    ):
        return ParseFailure(reason="no_city", hint_key=HINT)
    return Location(
        city=" ".join(word.capitalize() for word in found), country_code=places.countries[country.key]
    )


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
    known = [hit for hit in found if isinstance(hit, Location) and fold_name(hit.city) in places.cities]
    guessed = [hit for hit in found if isinstance(hit, Location)]
    if known or guessed:
        return (known or guessed)[0]
    if name and name.strip():
        return parse_location(name, gazetteer=places)
    return ParseFailure(reason="unknown_place", hint_key=HINT)
