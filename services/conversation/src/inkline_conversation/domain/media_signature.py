"""Expiring signed links to a client's reference media, as the artist's messages carry them.

The link is `…/media/<id>?expires=<unix seconds>&signature=<base64url HMAC-SHA256(id, expires)>`, so it
can be sent in a WhatsApp message and opened without a login, but not guessed, altered or kept forever.
The journey writes these links and api/media_links.py checks them; both sides share this one definition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote, urlencode

from pydantic import SecretStr

from inkline_platform.credentials import credential_matches


def _signature(media_id: str, expires: int, secret: SecretStr) -> str:
    message = f"{media_id}\n{expires}".encode()
    digest = hmac.new(secret.get_secret_value().encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_media_url(*, base_url: str, media_id: str, secret: SecretStr, expires_at: datetime) -> str:
    """A link to the media that works until `expires_at` (to the second)."""
    expires = int(expires_at.timestamp())
    query = urlencode({"expires": expires, "signature": _signature(media_id, expires, secret)})
    return f"{base_url.rstrip('/')}/media/{quote(media_id, safe='')}?{query}"


def signature_is_valid(media_id: str, expires: int, signature: str, secret: SecretStr) -> bool:
    """Whether the link's signature is ours; any text compares as bytes, so a non-ASCII one is refused."""
    if not secret.get_secret_value():
        return False  # a link signed with an empty key is signed by anyone
    return credential_matches(signature, _signature(media_id, expires, secret))
