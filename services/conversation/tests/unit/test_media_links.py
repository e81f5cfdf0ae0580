from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from inkline_conversation.domain.media_signature import signature_is_valid, signed_media_url

SECRET = SecretStr("link-secret")
EXPIRES_AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _parts(url: str) -> tuple[str, int, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path.rsplit("/", 1)[1], int(query["expires"][0]), query["signature"][0]


def test_a_signed_link_points_at_the_media_and_verifies() -> None:
    url = signed_media_url(
        base_url="https://ink.example/", media_id="1234567890", secret=SECRET, expires_at=EXPIRES_AT
    )

    media_id, expires, signature = _parts(url)
    assert url.startswith("https://ink.example/media/1234567890?")
    assert expires == int(EXPIRES_AT.timestamp())
    assert signature_is_valid(media_id, expires, signature, SECRET)


def test_the_signature_is_url_safe_without_padding() -> None:
    url = signed_media_url(base_url="https://ink.example", media_id="1", secret=SECRET, expires_at=EXPIRES_AT)

    signature = parse_qs(urlsplit(url).query)["signature"][0]
    assert "=" not in signature
    assert set(signature) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    ("media_id", "expires_delta", "secret"),
    [
        ("1234567891", 0, SECRET),  # another client's media
        ("1234567890", 86400, SECRET),  # a later expiry
        ("1234567890", 0, SecretStr("someone-elses-secret")),
    ],
)
def test_a_link_altered_in_any_part_does_not_verify(
    media_id: str, expires_delta: int, secret: SecretStr
) -> None:
    url = signed_media_url(
        base_url="https://ink.example", media_id="1234567890", secret=SECRET, expires_at=EXPIRES_AT
    )
    _, expires, signature = _parts(url)

    assert not signature_is_valid(media_id, expires + expires_delta, signature, secret)


def test_a_media_id_with_reserved_characters_is_escaped_in_the_path() -> None:
    url = signed_media_url(
        base_url="https://ink.example", media_id="a/b?c", secret=SECRET, expires_at=EXPIRES_AT
    )

    assert urlsplit(url).path == "/media/a%2Fb%3Fc"
