from __future__ import annotations

from inkline_platform.consumer import RedeliveryPolicy
from inkline_platform.logging import mask_client_identifiers, mask_phone_numbers


def test_phone_numbers_are_masked_to_their_first_and_last_two_digits() -> None:
    assert mask_phone_numbers("new lead from 447700900123") == "new lead from 44…23"
    assert mask_phone_numbers("call +14155550134 now") == "call 14…34 now"


def test_ids_and_short_numbers_are_left_alone() -> None:
    text = "wamid.HBgLNDQ3NzAwOTAwMTIz order 1234 at 2027-03-12T11:00:00Z"
    assert mask_phone_numbers(text) == text


def test_uuids_whose_groups_are_all_digits_are_left_alone() -> None:
    text = "notification_id=97120480-461e-451c-a412-235103600042 done"
    assert mask_phone_numbers(text) == text


def test_business_scoped_user_ids_keep_their_country_and_last_four_characters() -> None:
    assert mask_client_identifiers("lead for US.13491208655302741918 created") == "lead for US.…1918 created"
    assert mask_client_identifiers("to GB.ENT.aB3dE5fG7hJ9.") == "to GB.ENT.…7hJ9."


def test_two_clients_masked_stay_apart_and_a_phone_beside_a_bsuid_is_masked_too() -> None:
    masked = mask_client_identifiers("US.13491208655302741918 is 447700900123, not US.13491208655302745555")

    assert masked == "US.…1918 is 44…23, not US.…5555"


def test_dotted_names_and_message_ids_are_not_taken_for_business_scoped_user_ids() -> None:
    text = "wamid.HBgLNDQ3NzAwOTAwMTIz from inkline.conversation.api at eyJhbGci.eyJzdWIi OK.done"
    assert mask_client_identifiers(text) == text


def test_retry_delay_grows_with_each_delivery_and_stays_at_the_last_step() -> None:
    policy = RedeliveryPolicy(max_deliver=6, backoff_seconds=(1.0, 5.0, 30.0))

    assert [policy.delay_after(n) for n in range(1, 6)] == [1.0, 5.0, 30.0, 30.0, 30.0]
    assert RedeliveryPolicy(backoff_seconds=()).delay_after(3) == 0.0
