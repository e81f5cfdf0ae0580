"""Checkout and the paid page speak the client's language; one we do not write is left to the browser."""

from __future__ import annotations

from datetime import UTC, datetime

from inkline_payments.domain.client_copy import ClientCopy, checkout_locale

SESSION = datetime(2026, 12, 10, 14, tzinfo=UTC)


def test_checkout_gets_stripes_name_for_each_language_inkline_writes() -> None:
    assert [checkout_locale(code) for code in ("en", "es", "pt", "pt-BR", "de", "fr", "it")] == [
        "en-GB",
        "es",
        "pt-BR",
        "pt-BR",
        "de",
        "fr",
        "it",
    ]


def test_a_language_inkline_does_not_write_leaves_checkout_to_the_clients_browser() -> None:
    assert (checkout_locale("nl"), checkout_locale(None), checkout_locale("")) == ("auto", "auto", "auto")


def test_the_paid_page_writes_the_session_the_readers_way_and_says_utc_when_the_clock_is_unknown() -> None:
    german = ClientCopy.of("de").session_text("paid", SESSION, "Europe/Berlin")
    unknown = ClientCopy.of("en").session_text("paid", SESSION, "Not/AZone")

    assert german == (
        "Deine Anzahlung für den Termin am Do., 10. Dez. um 15:00 Uhr ist da. "
        "Die Buchungsbestätigung kommt gleich per WhatsApp."
    )
    assert unknown == (
        "We have your deposit for your session on Thu 10 Dec at 14:00 UTC. "
        "Your booking confirmation is on its way in WhatsApp."
    )
