"""The Settings form in the artist's words: amounts in their currency ("150" or "150.50") and whole hours or
days, read back into the minor units and hours the conversation service keeps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from inkline_studio.domain.wording import ZERO_DECIMAL

SIZES = (("small", "Small"), ("medium", "Medium"), ("large", "Large"), ("full_day", "Full day"))
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
    return {
        "artist_name": current["artist_name"],
        "studio_address": current["studio_address"],
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


def settings_from_form(form: Mapping[str, str], current: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """The stored settings with the form's fields in place; fields the form does not show stay as they were."""
    name = form.get("artist_name", "").strip()
    if not name:
        raise FormError("Your name: it cannot be empty.")
    deposits = dict(current["deposit_by_size_minor"])
    for size, label in SIZES:
        deposits[size] = amount_minor(form.get(f"deposit_{size}", ""), currency, field=f"Deposit, {label}")
    return {
        **current,
        "artist_name": name,
        "studio_address": form.get("studio_address", "").strip(),
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


def _number(value: float) -> str:
    return f"{value:g}"
