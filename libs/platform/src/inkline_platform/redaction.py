"""Secrets that travel inside URLs, replaced before a URL reaches a log line or a span.

An action link's path is its credential (`/actions/<token>`), Meta's subscription check carries the verify
token in its query (`hub.verify_token=`), and a media link is signed in its query (`signature=`). A URL is
logged by uvicorn and recorded on every HTTP span, so both pass through `redact_secrets`.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"
# The studio's sign-in links (`/sign-in/<token>`) are credentials the same way.
_SECRET_PATH = re.compile(r"(/actions/|/sign-in/)[^/?#\s\"']+")
_SECRET_QUERY = re.compile(
    r"(?i)([?&](?:hub\.verify_token|hub%2Everify_token|signature|token|access_token)=)[^&#\s\"']*"
)


def redact_secrets(text: str) -> str:
    """`text` with every action token and secret query value replaced by `[redacted]`."""
    return _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", _SECRET_PATH.sub(rf"\g<1>{REDACTED}", text))
