import base64
import hashlib
import re

from inkline_conversation.domain.action_tokens import hash_token, new_token


def test_a_new_token_carries_256_random_bits_in_url_safe_characters() -> None:
    token = new_token()

    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == 32


def test_new_tokens_do_not_repeat() -> None:
    assert len({new_token() for _ in range(1000)}) == 1000


def test_the_stored_form_is_the_hex_sha256_of_the_token() -> None:
    token = new_token()

    stored = hash_token(token)

    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert token not in stored


def test_hashing_is_stable_and_distinguishes_tokens() -> None:
    first, second = new_token(), new_token()

    assert hash_token(first) == hash_token(first)
    assert hash_token(first) != hash_token(second)
