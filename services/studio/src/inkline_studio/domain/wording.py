"""The words the artist reads for the services' codes and amounts: no internal names on a page."""

from __future__ import annotations

from typing import Protocol

# ISO 4217 currencies without minor units: their amounts are already whole.
ZERO_DECIMAL = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "HUF"})

STATUS_LABELS = {
    "draft": "Draft",
    "scheduled": "Starting",
    "sending": "Sending",
    "paused": "Paused",
    "done": "Finished",
    "cancelled": "Cancelled",
}
RECIPIENT_LABELS = {
    "pending": "Waiting to be sent",
    "handed_off": "Sent",
    "cancelled": "Not sent (campaign cancelled)",
    "skipped_opted_out": "Left out: said stop",
    "skipped_not_opted_in": "Left out: never said yes to news",
    "skipped_frequency_cap": "Left out: had a message from you this week",
    "skipped_missing_parameter": "Left out: a blank in the message had nothing to fill it",
    "skipped_expired": "Left out: the offer ran out first",
    "skipped": "Left out",
}


class Amount(Protocol):
    @property
    def amount_minor(self) -> int: ...

    @property
    def currency(self) -> str: ...


def money(amount: Amount) -> str:
    """`15000 GBP` reads "150.00 GBP"; `5000 JPY` reads "5,000 JPY"."""
    if amount.currency.upper() in ZERO_DECIMAL:
        return f"{amount.amount_minor:,} {amount.currency}"
    whole, cents = divmod(amount.amount_minor, 100)
    return f"{whole:,}.{cents:02d} {amount.currency}"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def recipient_label(state: str) -> str:
    return RECIPIENT_LABELS.get(state, state.replace("_", " ").capitalize())
