"""Where a client is, in the words the artist reads (never the status names the code uses)."""

from __future__ import annotations

from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.statuses import LeadStatus


def status_words(status: LeadStatus, copy: Copy | None = None) -> str:
    """E.g. "choosing a time", in `copy`'s language (English by default)."""
    return (copy or Copy.for_language("en")).render(f"artist_status.{status.value}")
