"""The Settings form in the artist's words: amounts in their currency ("150" or "150.50") and whole hours or
days, read back into the minor units and hours the conversation service keeps; a language and a currency
from short lists; the answers clients get, as the artist writes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from inkline_studio.domain.wording import ZERO_DECIMAL

SIZES = (("small", "Small"), ("medium", "Medium"), ("large", "Large"), ("full_day", "Full day"))
# The languages Inkline has the artist's texts in, each named in itself.
LANGUAGES = (
    ("en", "English"),
    ("es", "Español"),
    ("pt", "Português"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
)
CURRENCIES = (
    "GBP",
    "EUR",
    "USD",
    "CAD",
    "AUD",
    "NZD",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "BRL",
    "MXN",
    "JPY",
)
# The questions the assistant answers mid-consultation, as the form asks them; an empty box keeps the
# assistant's standard answer (for "what to bring" there is none: it is the artist's to say).
FAQ_TOPICS = (
    ("price", "How much will it cost?", "Your price guide. Empty: you quote each piece (and your minimum)."),
    ("bring", "What should I bring?", "Prep and what to bring. Also goes in the reminders."),
    ("availability", "When can I get in?", "Empty: the next free times follow once you have their details."),
    ("cover_up", "Do you do cover-ups?", "Empty: yes or no, from the box above."),
    ("colour", "Do you do colour?", "Empty: yes or no, from the box above."),
)
FAQ_MAX = 1000
_AMOUNT = re.compile(r"^\s*[£$€¥]?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*$")


class FormError(ValueError):
    """What the artist typed cannot be saved; the message says which field and why."""


def amount_text(minor: int, currency: str) -> str:
    """15000 GBP shows as "150"; 15050 as "150.50"."""
    if currency.upper() in ZERO_DECIMAL:
        return str(minor)
    whole, cents = divmod(minor, 100)
    return f"{whole}.{cents:02d}" if cents else str(whole)


def amount_minor(text: str, currency: str, *, field: str) -> int:
    found = _AMOUNT.match(text)
    if found is None:
        raise FormError(f"{field}: write an amount like 150 or 150.50.")
    try:
        value = Decimal(found.group(1).replace(",", ""))
    except InvalidOperation as exc:
        raise FormError(f"{field}: write an amount like 150 or 150.50.") from exc
    factor = 1 if currency.upper() in ZERO_DECIMAL else 100
    return int(value * factor)


def _hours(text: str, *, field: str, per: int = 1, allow_zero: bool = True) -> float:
    try:
        value = float(text.strip())
    except ValueError as exc:
        raise FormError(f"{field}: write a number.") from exc
    if value < 0 or (value == 0 and not allow_zero) or value > 60 * 24 / per:
        raise FormError(f"{field}: that number is out of range.")
    return value * per


def form_values(current: Mapping[str, Any], currency: str) -> dict[str, str]:
    """What the form shows for the stored settings."""
    answers: Mapping[str, str] = current.get("faq_answers") or {}
    return {
        "artist_name": current["artist_name"],
        "studio_address": current["studio_address"],
        "artist_language": current.get("artist_language") or "en",
        "artist_currency": currency,
        **{f"faq_{topic}": answers.get(topic, "") for topic, _, _ in FAQ_TOPICS},
        "minimum_spend": amount_text(current["minimum_spend_minor"], currency),
        **{
            f"deposit_{size}": amount_text(current["deposit_by_size_minor"].get(size, 0), currency)
            for size, _ in SIZES
        },
        "reschedule_notice_days": _number(current["free_reschedule_notice_hours"] / 24),
        "refund_notice_days": _number(current["refund_notice_hours"] / 24),
        "early_reminder_days": _number(current["appointment_early_reminder_hours"] / 24),
        "final_reminder_hours": _number(current["appointment_final_reminder_hours"]),
    }


def settings_from_form(form: Mapping[str, str], current: Mapping[str, Any]) -> dict[str, Any]:
    """The stored settings with the form's fields in place; fields the form does not show stay as they were."""
    name = form.get("artist_name", "").strip()
    if not name:
        raise FormError("Your name: it cannot be empty.")
    language = form.get("artist_language", "")
    if language not in dict(LANGUAGES):
        raise FormError("Language: pick one from the list.")
    # Amounts are read in the currency picked in the same form: "150" stays 150 when the currency changes.
    currency = form.get("artist_currency", "")
    if currency not in CURRENCIES and currency != current.get("artist_currency"):
        raise FormError("Currency: pick one from the list.")
    deposits = dict(current["deposit_by_size_minor"])
    for size, label in SIZES:
        deposits[size] = amount_minor(form.get(f"deposit_{size}", ""), currency, field=f"Deposit, {label}")
    return {
        **current,
        "artist_name": name,
        "studio_address": form.get("studio_address", "").strip(),
        "artist_language": language,
        "artist_currency": currency,
        "faq_answers": _faq_answers(form),
        "appointment_early_reminder_on": form.get("early_reminder_on") == "on",
        "appointment_final_reminder_on": form.get("final_reminder_on") == "on",
        "minimum_spend_minor": amount_minor(form.get("minimum_spend", ""), currency, field="Minimum spend"),
        "deposit_by_size_minor": deposits,
        "artist_does_cover_ups": form.get("artist_does_cover_ups") == "on",
        "artist_does_colour": form.get("artist_does_colour") == "on",
        "free_reschedule_notice_hours": _hours(
            form.get("reschedule_notice_days", ""), field="Free reschedule notice", per=24
        ),
        "refund_notice_hours": _hours(form.get("refund_notice_days", ""), field="Refund notice", per=24),
        "appointment_early_reminder_hours": _hours(
            form.get("early_reminder_days", ""), field="First reminder", per=24, allow_zero=False
        ),
        "appointment_final_reminder_hours": _hours(
            form.get("final_reminder_hours", ""), field="Last reminder", allow_zero=False
        ),
    }


def _faq_answers(form: Mapping[str, str]) -> dict[str, str]:
    """The answers the artist wrote; an emptied box is left out (the standard answer returns)."""
    answers: dict[str, str] = {}
    for topic, question, _ in FAQ_TOPICS:
        text = form.get(f"faq_{topic}", "").strip()
        if len(text) > FAQ_MAX:
            raise FormError(f"{question} Keep the answer under {FAQ_MAX} characters.")
        if text:
            answers[topic] = text
    return answers


def _number(value: float) -> str:
    return f"{value:g}"
