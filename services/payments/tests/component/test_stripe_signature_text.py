"""A Stripe-Signature in any characters is refused with 400, never a 500."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from inkline_devstack.harness import running_service
from inkline_payments.app import create_app

if TYPE_CHECKING:
    from conftest import SettingsFactory

EVENT = b'{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {}}}'


@pytest.mark.parametrize(
    "header",
    ["t=1700000000,v1=é".encode(), "t=1700000000,v1=\u00e9".encode("latin-1"), "t=é,v1=abc".encode()],
)
async def test_a_non_ascii_stripe_signature_is_refused_with_400(
    make_settings: SettingsFactory, nats_url: str, header: bytes
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with running_service(create_app(settings)) as client:
        response = await client.post(
            "/webhooks/stripe",
            content=EVENT,
            headers=[(b"Stripe-Signature", header), (b"Content-Type", b"application/json")],
        )

    assert response.status_code == 400
    assert response.json() == {"detail": "invalid Stripe-Signature"}


async def test_a_body_that_is_not_utf8_is_refused_with_400(
    make_settings: SettingsFactory, nats_url: str
) -> None:
    settings = await make_settings(nats_url=nats_url)
    async with running_service(create_app(settings)) as client:
        response = await client.post(
            "/webhooks/stripe",
            content=b'{"id": "\xff\xfe"}',
            headers={"Stripe-Signature": "t=1700000000,v1=abc", "Content-Type": "application/json"},
        )

    assert response.status_code == 400
