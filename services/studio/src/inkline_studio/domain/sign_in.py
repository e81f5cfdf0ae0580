"""Sign-in links: what a token is, what is stored of it, and what the artist reads on WhatsApp."""

from __future__ import annotations

import hashlib
import secrets

# 256 bits: as the action links; guessing one within its lifetime is out of reach.
TOKEN_BYTES = 32
SIGN_IN_PURPOSE = "artist_alert"
"""The notifier's purpose for messages to the artist: outside the 24-hour window it falls back to the
approved artist-alert utility template, so the link still arrives."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps: a leaked table cannot sign anyone in."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def sign_in_message(*, link: str, minutes: int) -> str:
    return (
        f"Here is your link to sign in to your studio: {link}\n"
        f"It works once, for {minutes} minutes. If you did not ask for it, ignore this message."
    )
