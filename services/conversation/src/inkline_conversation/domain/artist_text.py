"""Messages to the artist that carry the client's words: those words shortened so the links always fit.

Outside the artist's 24-hour window the notifier sends a message as one template parameter, cut at
Meta's 1,024 characters. Whatever the client wrote, a message built here stays within `ARTIST_BUDGET`,
so nothing is ever cut: the client's texts share the room the fixed wording and the links leave.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from inkline_contracts.events.notify import TEMPLATE_PARAMETER_MAX_LENGTH
from inkline_contracts.text import bounded

# The template's own words around its {{1}} count towards Meta's limit too.
ARTIST_BUDGET = TEMPLATE_PARAMETER_MAX_LENGTH - 124
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """The client's text on one line: newlines and runs of spaces become single spaces."""
    return _WHITESPACE.sub(" ", text).strip()


def share_room(lengths: Mapping[str, int], room: int) -> dict[str, int]:
    """Split `room` characters among texts: short ones keep their length, long ones share what is left."""
    shares: dict[str, int] = {}
    left = max(room, 0)
    by_length = sorted(lengths, key=lengths.__getitem__)
    for position, name in enumerate(by_length):
        fair = left // (len(by_length) - position)
        shares[name] = min(lengths[name], fair)
        left -= shares[name]
    return shares


def fit(
    render: Callable[[Mapping[str, str]], str],
    words: Mapping[str, str],
    *,
    caps: Mapping[str, int],
    budget: int = ARTIST_BUDGET,
) -> str:
    """`render` with each of the client's `words` as long as its cap and the budget allow.

    `render` must be the same message whatever the words' lengths; the words are the only part that
    shrinks, so everything else (labels, links) arrives whole.
    """
    flat = {name: one_line(text) for name, text in words.items()}
    fixed = len(render(dict.fromkeys(flat, "")))
    shares = share_room(
        {name: min(len(text), caps.get(name, len(text))) for name, text in flat.items()}, budget - fixed
    )
    # A word left no room at all still shows that something was there.
    return render({name: bounded(text, max(shares[name], 1)) if text else "" for name, text in flat.items()})
