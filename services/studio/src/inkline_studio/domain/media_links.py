"""Conversation's signed links to a client's pictures and voice notes, as the studio serves them.

The studio's pages allow nothing from another origin (api/page_headers.py), so a link
`https://conversation…/media/<id>?expires=…&signature=…` is shown as the studio's own `/media/<id>?…`,
which api/media_proxy.py passes on to conversation: the signature and expiry stay conversation's to check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MEDIA_PREFIX = "/media/"


def same_origin(url: str | None) -> str | None:
    """The studio's path for a conversation media link; None for anything that is not one."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.path.startswith(MEDIA_PREFIX) or "/" in parts.path.removeprefix(MEDIA_PREFIX):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
