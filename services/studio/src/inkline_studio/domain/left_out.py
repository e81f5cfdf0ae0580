"""Why a campaign leaves a client out, in the artist's words (the codes are campaigns')."""

from __future__ import annotations

REASONS = {
    "opted_out": "Said stop",
    "not_opted_in": "Never said yes to news",
    "frequency_cap": "Had a message from you this week",
    "quiet_hours": "Night time where they are: they get it in their morning",
    "missing_parameter": "Nothing to fill a blank with (no city or style on file)",
    "expired": "The offer runs out before they can get it",
}
# Waiting is not being left out: it is shown apart from the rest.
WAITING = "quiet_hours"


def reason_label(reason: str) -> str:
    return REASONS.get(reason, reason.replace("_", " ").capitalize())
