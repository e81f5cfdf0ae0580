"""What the hub's panels say: times on the event's own clock, held slots by what they are for."""

from __future__ import annotations

from pathlib import Path

from inkline_sandbox.hub import Hub, HubConfig, provider_environment
from inkline_sandbox.hub.views import calendar_events, holds


def _hub(tmp_path: Path) -> Hub:
    return Hub(HubConfig(conversation_url="http://c.test", payments_url="http://p.test", data_dir=tmp_path))


def test_a_calendar_event_shows_on_its_own_time_zones_clock_not_utc(tmp_path: Path) -> None:
    hub = _hub(tmp_path)
    hub.google.calendar.insert_event(
        hub.config.calendar_id,
        {
            "summary": "Tattoo session with Jo (medium), London",
            "start": {"dateTime": "2027-07-08T13:00:00+00:00", "timeZone": "Europe/London"},
            "end": {"dateTime": "2027-07-08T17:00:00+00:00", "timeZone": "Europe/London"},
        },
    )

    (event,) = calendar_events(hub)

    assert (event.start, event.end) == ("Thu 08 Jul 2027 14:00 BST", "Thu 08 Jul 2027 18:00 BST")


def test_a_held_slot_reads_as_the_checkout_line_the_client_sees(tmp_path: Path) -> None:
    hub = _hub(tmp_path)
    hub.stripe.create_session(
        {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": "gbp",
                        "unit_amount": 10000,
                        "product_data": {
                            "name": "Tattoo deposit",
                            "description": "Thu 8 Jul, 14:00-18:00 with Rowan",
                        },
                    },
                    "quantity": 1,
                }
            ],
        },
        base_url="http://hub.test/stripe",
    )

    (held,) = holds(hub)

    assert held.description == "Tattoo deposit · Thu 8 Jul, 14:00-18:00 with Rowan"


def test_the_services_learn_the_business_number_the_clients_write_to(tmp_path: Path) -> None:
    hub = _hub(tmp_path)

    environment = provider_environment("http://hub.test", hub.config)

    assert environment["WHATSAPP_DISPLAY_PHONE_NUMBER"] == hub.graph.display_phone_number == "15550001234"
