"""What the hub's panels say: times on the event's own clock, held slots by what they are for."""

from __future__ import annotations

from pathlib import Path

from inkline_sandbox.hub import Hub, HubConfig, provider_environment
from inkline_sandbox.hub.views import artist_phone, calendar_events, client_languages, clients, holds


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


LEADS_HEADER = ["lead_id", "created", "name", "phone", "status", "updated", "language"]


def _leads_sheet(hub: Hub, rows: list[list[str]]) -> None:
    book = hub.config.spreadsheet_id
    hub.google.sheets.batch_update(book, [{"addSheet": {"properties": {"title": "Leads"}}}])
    hub.google.sheets.seed_values(book, "Leads", [LEADS_HEADER, *rows])


def test_each_conversation_shows_the_language_the_artists_sheet_has_for_its_latest_lead(
    tmp_path: Path,
) -> None:
    hub = _hub(tmp_path)
    for number, name in (("351912345678", "Inês"), ("447700900123", "Sam")):
        hub.chat.record(wamid=f"wamid.{number}", wa_id=number, name=name, text="Olá", sent_at=1.0)
    _leads_sheet(
        hub,
        [
            ["L1", "2027-01-01", "Inês", "+351 912 345 678", "abandoned", "2027-01-01", "en"],
            ["L2", "2027-02-01", "Inês", "+351 912 345 678 (@ines.ink)", "new", "2027-02-01", "pt"],
            ["L3", "2027-02-02", "Jo", "GB.…41", "new", "2027-02-02", "de"],
        ],
    )

    assert client_languages(hub) == {"351912345678": "pt"}
    assert clients(hub) == [("351912345678", "Inês", "pt"), ("447700900123", "Sam", "")]


def test_no_language_is_shown_before_the_artists_sheet_has_one(tmp_path: Path) -> None:
    hub = _hub(tmp_path)
    hub.chat.record(wamid="wamid.1", wa_id="447700900123", name="Sam", text="Hi", sent_at=1.0)

    assert clients(hub) == [("447700900123", "Sam", "")]
    _leads_sheet(hub, [["L1", "2027-01-01", "Sam", "+44 7700 900123", "new", "2027-01-01"]])
    assert client_languages(hub) == {}


def test_a_message_quoting_an_earlier_one_shows_it_above_on_the_artists_phone(tmp_path: Path) -> None:
    hub = _hub(tmp_path)
    artist = hub.config.artist_number
    phone_id = next(iter(hub.graph.phone_number_ids or {"1"}))
    alert = {
        "messaging_product": "whatsapp",
        "to": artist,
        "type": "text",
        "text": {"body": "*Sam* needs you"},
    }
    first = hub.graph.send(phone_id, alert).body["messages"][0]["id"]
    forwarded = {**alert, "text": {"body": "*Sam:* can it be in colour?"}, "context": {"message_id": first}}
    hub.graph.send(phone_id, forwarded)

    quoting = [bubble for bubble in artist_phone(hub) if bubble.quote is not None]

    assert [str(bubble.quote) for bubble in quoting] == ["<b>Sam</b> needs you"]
    assert "can it be in colour?" in str(quoting[0].html)
