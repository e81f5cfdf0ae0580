from __future__ import annotations

from inkline_campaigns.domain.contact_label import contact_label


def test_a_contact_is_shown_by_name_then_username_then_the_end_of_their_address() -> None:
    assert contact_label(profile_name="Ana", username="ana.ink", wa_id="447700000001") == "Ana"
    assert contact_label(profile_name=None, username="inked.sam", wa_id="GB.13491208655302741918") == (
        "@inked.sam"
    )
    assert contact_label(profile_name=None, username=None, wa_id="447700000001") == "…0001"


def test_a_username_only_client_without_a_username_shows_no_more_of_their_bsuid_than_the_logs() -> None:
    assert contact_label(profile_name=None, username=None, wa_id="GB.13491208655302741918") == "GB.…1918"
