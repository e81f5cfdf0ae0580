"""Validation of `POST /v1/checkout/sessions` parameters, following Stripe's documented rules.

Only `mode=payment` with inline `price_data` is supported (what a deposit link needs); anything else is
refused with Stripe's error shape rather than silently accepted, so an adapter drifting is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inkline_sandbox.stripe.errors import (
    StripeError,
    invalid_param,
    missing_param,
    resource_missing,
    unknown_param,
)
from inkline_sandbox.stripe.forms import as_int, as_list

MIN_EXPIRY = 30 * 60
MAX_EXPIRY = 24 * 60 * 60
DEFAULT_EXPIRY = MAX_EXPIRY

_ACCEPTED = frozenset(
    {
        "after_expiration",
        "allow_promotion_codes",
        "billing_address_collection",
        "cancel_url",
        "client_reference_id",
        "consent_collection",
        "currency",
        "custom_text",
        "customer",
        "customer_creation",
        "customer_email",
        "expand",
        "expires_at",
        "invoice_creation",
        "line_items",
        "locale",
        "metadata",
        "mode",
        "payment_intent_data",
        "payment_method_types",
        "phone_number_collection",
        "submit_type",
        "success_url",
        "ui_mode",
    }
)

# Checkout's locales (docs.stripe.com/js/appendix/supported_locales, the "Checkout" column): Stripe answers
# any other value with 400 `parameter_invalid_enum`.
CHECKOUT_LOCALES = frozenset(
    [
        "auto",
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "en-GB",
        "es",
        "es-419",
        "et",
        "fi",
        "fil",
        "fr",
        "fr-CA",
        "hr",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "ms",
        "mt",
        "nb",
        "nl",
        "pl",
        "pt",
        "pt-BR",
        "ro",
        "ru",
        "sk",
        "sl",
        "sv",
        "th",
        "tr",
        "vi",
        "zh",
        "zh-HK",
        "zh-TW",
    ]
)


@dataclass(frozen=True)
class LineItem:
    name: str
    description: str | None
    unit_amount: int
    quantity: int
    currency: str

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class SessionRequest:
    params: dict[str, Any]
    mode: str
    currency: str
    line_items: tuple[LineItem, ...]
    expires_at: int

    @property
    def amount_total(self) -> int:
        return sum(item.amount for item in self.line_items)


def metadata(params: dict[str, Any], name: str = "metadata") -> dict[str, str]:
    """Stripe's metadata limits: at most 50 keys, keys up to 40 characters, values up to 500."""
    raw = params.get(name, {})
    if raw == "":
        return {}
    if isinstance(raw, list):
        # The form decoder turns all-numeric keys into a list; metadata keys are always strings.
        raw = {str(index): value for index, value in enumerate(raw)}
    if not isinstance(raw, dict):
        raise invalid_param(name, f"Invalid object: {name}")
    if len(raw) > 50:
        raise invalid_param(name, "You can specify up to 50 keys.")
    for key, value in raw.items():
        if len(key) > 40:
            raise invalid_param(f"{name}[{key}]", "Keys must be at most 40 characters long.")
        if not isinstance(value, str) or len(value) > 500:
            raise invalid_param(f"{name}[{key}]", "Values must be strings of at most 500 characters.")
    return {str(k): str(v) for k, v in raw.items()}


def validate_create(params: dict[str, Any], *, created: int) -> SessionRequest:
    for name in params:
        if name not in _ACCEPTED:
            raise unknown_param(name)
    mode = params.get("mode")
    if not mode:
        raise missing_param("mode")
    if mode != "payment":
        raise invalid_param("mode", f"The sandbox supports mode=payment only (got {mode}).")
    if params.get("ui_mode", "hosted") != "hosted":
        raise invalid_param("ui_mode", "The sandbox supports ui_mode=hosted only.")
    raw_items = as_list(params, "line_items")
    if not raw_items:
        raise missing_param("line_items")
    items = tuple(_line_item(raw, index) for index, raw in enumerate(raw_items))
    currencies = {item.currency for item in items}
    if len(currencies) > 1:
        raise invalid_param("line_items", "All line items must use the same currency.")
    locale = params.get("locale")
    if locale is not None and locale not in CHECKOUT_LOCALES:
        raise invalid_param("locale", f"Invalid locale: must be one of {', '.join(sorted(CHECKOUT_LOCALES))}")
    client_reference_id = params.get("client_reference_id")
    if client_reference_id is not None and not 1 <= len(client_reference_id) <= 200:
        raise invalid_param("client_reference_id", "client_reference_id must be 1 to 200 characters long.")
    expires_at = as_int(params, "expires_at")
    if expires_at is None:
        expires_at = created + DEFAULT_EXPIRY
    elif expires_at - created < MIN_EXPIRY:
        raise invalid_param(
            "expires_at",
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        )
    elif expires_at - created > MAX_EXPIRY:
        raise invalid_param(
            "expires_at",
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        )
    cleaned = dict(params)
    cleaned["metadata"] = metadata(params)
    intent_data = params.get("payment_intent_data", {})
    if not isinstance(intent_data, dict):
        raise invalid_param("payment_intent_data", "Invalid object: payment_intent_data")
    cleaned["payment_intent_data"] = {**intent_data, "metadata": metadata(intent_data)}
    if "payment_method_types" in params:
        cleaned["payment_method_types"] = as_list(params, "payment_method_types")
    return SessionRequest(cleaned, mode, items[0].currency, items, expires_at)


def _line_item(raw: Any, index: int) -> LineItem:
    where = f"line_items[{index}]"
    if not isinstance(raw, dict):
        raise invalid_param(where, f"Invalid object: {where}")
    if "price" in raw:
        # Prices live in the catalogue, which this fake has none of.
        raise resource_missing("price", str(raw["price"]), f"{where}[price]")
    price_data = raw.get("price_data")
    if not isinstance(price_data, dict):
        raise missing_param(f"{where}[price]")
    currency = price_data.get("currency")
    if not isinstance(currency, str) or len(currency) != 3:
        raise missing_param(f"{where}[price_data][currency]")
    unit_amount = as_int(price_data, "unit_amount", label=f"{where}[price_data][unit_amount]")
    if unit_amount is None and "unit_amount_decimal" in price_data:
        unit_amount = round(float(price_data["unit_amount_decimal"]))
    if unit_amount is None:
        raise missing_param(f"{where}[price_data][unit_amount]")
    if unit_amount < 0:
        raise invalid_param(
            f"{where}[price_data][unit_amount]", "This value must be greater than or equal to 0."
        )
    product = price_data.get("product_data")
    if "product" in price_data:
        raise resource_missing("product", str(price_data["product"]), f"{where}[price_data][product]")
    if not isinstance(product, dict) or not product.get("name"):
        raise missing_param(f"{where}[price_data][product_data][name]")
    quantity = as_int(raw, "quantity", label=f"{where}[quantity]")
    if quantity is None:
        raise missing_param(f"{where}[quantity]")
    if quantity < 1:
        raise invalid_param(f"{where}[quantity]", "This value must be greater than or equal to 1.")
    return LineItem(str(product["name"]), product.get("description"), unit_amount, quantity, currency.lower())


def session_not_open(session: dict[str, Any]) -> StripeError:
    return StripeError(
        400,
        f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status '
        f"of `{session['status']}`.",
        saved=True,
    )
