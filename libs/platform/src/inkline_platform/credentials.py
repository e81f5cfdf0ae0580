"""Comparing a credential someone presented (a header, a query parameter, a form field) with the one we hold."""

from __future__ import annotations

import hmac


def credential_matches(given: str | None, expected: str) -> bool:
    """Constant-time equality of `given` and `expected`, compared as UTF-8 bytes.

    `hmac.compare_digest` raises TypeError for a `str` with non-ASCII characters, and a caller can send any
    character in a header or query string; as bytes, whatever arrives is simply unequal. `surrogatepass`
    keeps the encoding one-to-one, so no two different strings become the same bytes. An empty `expected`
    matches nothing: a secret left blank never opens anything.
    """
    if given is None or not expected:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )
