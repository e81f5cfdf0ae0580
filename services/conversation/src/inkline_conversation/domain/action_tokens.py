"""Artist action tokens: what the link carries (a random secret) and what the database keeps (its hash).

The plaintext token exists only in the link sent to the artist; a leaked database cannot be replayed.
A SHA-256 of 256 random bits needs no salt or slow hash: there is nothing to guess by brute force.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    """A fresh URL-safe token carrying 256 bits of randomness."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The lowercase hex SHA-256 of the token, the only form that is stored."""
    return hashlib.sha256(token.encode()).hexdigest()
