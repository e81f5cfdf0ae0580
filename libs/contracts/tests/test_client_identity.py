from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from inkline_contracts.base import ClientAddress, ClientIdentity
from inkline_contracts.events.legacy_v1 import SendMessageV1
from inkline_contracts.events.notify import MessageSent, SendMessage, TextContent

ADDRESS: TypeAdapter[str] = TypeAdapter(ClientAddress)


@pytest.mark.parametrize(
    "address", ["447700900123", "US.13491208655302741918", "US.ENT.11815799212886844830", "BR.a1B2c3"]
)
def test_a_client_is_addressed_by_phone_digits_or_a_business_scoped_user_id(address: str) -> None:
    assert ADDRESS.validate_python(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "",
        "+447700900123",
        "US13491208655302741918",
        "us.1349",
        "USA.1349",
        "US.",
        "US.12-34",
        "US." + "1" * 129,
    ],
)
def test_an_address_that_is_neither_phone_nor_bsuid_is_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        ADDRESS.validate_python(address)


def test_an_identity_without_phone_or_bsuid_is_refused() -> None:
    with pytest.raises(ValidationError, match="phone number or a business-scoped user ID"):
        ClientIdentity(username="inked.sam")


def test_a_username_only_client_can_be_sent_to_on_v2_and_not_on_v1() -> None:
    body = TextContent(body="hi")
    sent = SendMessage(to="US.13491208655302741918", content=body, purpose="consult_question")

    assert MessageSent(notification_id="n", to=sent.to, wamid="w", purpose="p", category=sent.category)
    with pytest.raises(ValidationError):
        SendMessageV1(to="US.13491208655302741918", content=body, purpose="consult_question")
