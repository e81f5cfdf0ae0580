"""`make up` wires the studio to the services it calls and prints a sign-in address for the artist."""

from __future__ import annotations

from inkline_devstack.launcher import _point_studio, studio_sign_in_url


def test_the_studio_is_pointed_at_the_services_it_calls_and_its_own_address() -> None:
    envs: dict[str, dict[str, str]] = {"studio": {"CAMPAIGNS_API_URL": "http://campaigns.internal"}}

    url = _point_studio(
        envs, {"studio": 7005, "conversation": 7000, "payments": 7001, "calendar": 7002, "campaigns": 7003}
    )

    assert url == "http://127.0.0.1:7005"
    assert envs["studio"] == {
        "STUDIO_PUBLIC_URL": "http://127.0.0.1:7005",
        "CONVERSATION_API_URL": "http://127.0.0.1:7000",
        "CAMPAIGNS_API_URL": "http://campaigns.internal",
        "CALENDAR_API_URL": "http://127.0.0.1:7002",
        "PAYMENTS_API_URL": "http://127.0.0.1:7001",
    }


def test_the_printed_sign_in_address_fills_in_the_artists_number() -> None:
    assert (
        studio_sign_in_url("http://127.0.0.1:8006", {"ARTIST_WHATSAPP_NUMBER": "491510000000"})
        == "http://127.0.0.1:8006/sign-in?number=491510000000"
    )
    assert studio_sign_in_url("http://127.0.0.1:8006", {}).endswith("?number=447700900000")
