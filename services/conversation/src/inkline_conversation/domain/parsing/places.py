"""The places a client may name: GeoNames cities with their other names, countries in six languages,
US states, and the few nicknames people type ("brum", "nyc"). Loaded once; looked up by folded name.

GeoNames data (CC BY 4.0) is written by services/conversation/tools/build_gazetteer.py.
"""

from __future__ import annotations

import gzip
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from babel import Locale

from inkline_contracts.languages import LANGUAGES
from inkline_conversation.domain.parsing.text import fold_place_name

_LANGUAGES = LANGUAGES
# Nicknames and preferred spellings outrank every GeoNames city of the same name.
_CURATED_POPULATION = 10**9


@dataclass(frozen=True, slots=True)
class Place:
    """One city: its name as we show it, country, first-level region and population."""

    name: str
    country: str
    region: str
    population: int


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Cities, countries and regions keyed by folded name (lower case, no accents, single spaces)."""

    places: dict[str, tuple[Place, ...]]
    countries: dict[str, str]
    regions: dict[str, tuple[str, str]]
    cities: dict[str, tuple[str, str]]  # the most likely city of each name, as (name, country)


def fold_name(text: str) -> str:
    """The key a place name is stored and looked up by (the data file's keys are folded the same way)."""
    return fold_place_name(text)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the bundled data (about 34,000 cities)."""
    data = resources.files("inkline_conversation.domain.data")
    places: dict[str, list[Place]] = {}
    regions: dict[str, tuple[str, str]] = {}
    rows = gzip.decompress(data.joinpath("cities.tsv.gz").read_bytes()).decode("utf-8").splitlines()
    for row in rows:
        name, country, region, population, keys = row.split("\t")
        if name == "#state":
            regions[keys] = (country, region)
            continue
        place = Place(name=name, country=country, region=region, population=int(population))
        for key in keys.split("|"):
            places.setdefault(key, []).append(place)
    curated = tomllib.loads(data.joinpath("gazetteer.toml").read_text("utf-8"))
    for entry in curated["cities"]:
        place = Place(name=entry["name"], country=entry["country"], region="", population=_CURATED_POPULATION)
        for alias in (entry["name"], *entry.get("aliases", ())):
            places.setdefault(fold_name(alias), []).insert(0, place)
    return Gazetteer(
        places={key: tuple(found) for key, found in places.items()},
        countries=_countries(curated["countries"]),
        regions=regions,
        cities={
            key: (best.name, best.country) for key, found in places.items() for best in (most_likely(found),)
        },
    )


def most_likely(found: list[Place] | tuple[Place, ...]) -> Place:
    """The biggest of several same-named cities (a nickname of ours counts as the biggest)."""
    return max(found, key=lambda place: place.population)


def _countries(curated: dict[str, list[str]]) -> dict[str, str]:
    names = {fold_name(alias): code for code, aliases in curated.items() for alias in aliases}
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold_name(name), code)
    return names


def flag_countries(text: str) -> list[str]:
    """Country codes of flag emoji in the text ("🇦🇹" is AT)."""
    codes = []
    for first, second in re.findall(r"([\U0001F1E6-\U0001F1FF])([\U0001F1E6-\U0001F1FF])", text):
        codes.append(chr(ord(first) - 0x1F1E6 + ord("A")) + chr(ord(second) - 0x1F1E6 + ord("A")))
    return codes
