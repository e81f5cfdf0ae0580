"""`POST /v1/refunds` against a paid Checkout Session's PaymentIntent (or its Charge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inkline_sandbox.stripe import objects
from inkline_sandbox.stripe.errors import StripeError, invalid_param, resource_missing, unknown_param
from inkline_sandbox.stripe.forms import as_int
from inkline_sandbox.stripe.sessions import metadata

if TYPE_CHECKING:
    from inkline_sandbox.stripe.events import RequestContext
    from inkline_sandbox.stripe.state import StripeState

_ACCEPTED = frozenset(
    {"amount", "charge", "expand", "instructions_email", "metadata", "payment_intent", "reason"}
)
_REASONS = frozenset({"duplicate", "fraudulent", "requested_by_customer"})


def create_refund(state: StripeState, params: dict[str, Any], ctx: RequestContext) -> dict[str, Any]:
    for name in params:
        if name not in _ACCEPTED:
            raise unknown_param(name)
    charge = _charge_for(state, params)
    reason = params.get("reason")
    if reason is not None and reason not in _REASONS:
        raise invalid_param("reason", f"Invalid reason: must be one of {', '.join(sorted(_REASONS))}")
    refund_metadata = metadata(params)
    requested = as_int(params, "amount")
    remaining = charge["amount"] - charge["amount_refunded"]
    if requested is not None and requested < 1:
        raise invalid_param("amount", "Invalid positive integer")
    # From here on the request is executing: conflicts are saved under the idempotency key.
    if remaining == 0:
        raise StripeError(
            400,
            f"Charge {charge['id']} has already been refunded.",
            code="charge_already_refunded",
            saved=True,
        )
    amount = remaining if requested is None else requested
    if amount > remaining:
        raise StripeError(
            400,
            f"Refund amount ({objects.format_amount(amount, charge['currency'])}) is greater than unrefunded "
            f"amount on charge ({objects.format_amount(remaining, charge['currency'])})",
            code="amount_too_large",
            param="amount",
            saved=True,
        )
    refund = objects.refund(
        refund_id=objects.new_id("re_"),
        charge_obj=charge,
        amount=amount,
        created=state.now(),
        reason=reason,
        metadata=refund_metadata,
    )
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    state.store_refund(refund)
    state.emit("charge.refunded", charge, ctx, previous_attributes=previous)
    return refund


def _charge_for(state: StripeState, params: dict[str, Any]) -> dict[str, Any]:
    intent_id = params.get("payment_intent")
    charge_id = params.get("charge")
    if intent_id is None and charge_id is None:
        raise StripeError(400, "One of `charge` or `payment_intent` is required.", code="parameter_missing")
    if intent_id is not None:
        intent = state.find_payment_intent(str(intent_id))
        if intent is None:
            raise resource_missing("payment_intent", str(intent_id), "payment_intent")
        charge_id = intent["latest_charge"]
    charge = state.find_charge(str(charge_id))
    if charge is None:
        raise resource_missing("charge", str(charge_id), "charge")
    return charge
