"""In-memory, thread-safe state of the Stripe fake: sessions, payments, refunds, events and their delivery.

Tests hold the `StripeState`: they can drive it directly (`pay_session`, `expire_session`, `advance`),
inspect it (`sessions`, `events`, `deliveries`), or turn delivery off and hand events over themselves
(`event_payload` + `signing.sign`) to duplicate, reorder or drop them.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from inkline_sandbox.stripe import objects
from inkline_sandbox.stripe.delivery import DeliveryAttempt, WebhookEndpoint
from inkline_sandbox.stripe.errors import StripeError, resource_missing
from inkline_sandbox.stripe.events import EventLog, RequestContext
from inkline_sandbox.stripe.idempotency import IdempotencyStore, Outcome
from inkline_sandbox.stripe.refunds import create_refund
from inkline_sandbox.stripe.sessions import LineItem, session_not_open, validate_create

# Used when a request carries no Stripe-Version (curl); the SDK always sends its pinned version.
DEFAULT_API_VERSION = "2025-09-30.clover"
# What an operation not made over HTTP (a test, the hosted page) carries: no request id, no key.
NO_REQUEST = RequestContext()


class StripeState:
    def __init__(
        self,
        *,
        api_key: str = "sk_test_sandbox",
        deliver_webhooks: bool = True,
        retry_delays: Sequence[float] = (0.5, 2.0, 5.0),
        public_base_url: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_key = api_key
        self.deliver_webhooks = deliver_webhooks
        self.public_base_url = public_base_url
        self.api_version = api_version
        self.clock = clock
        self._lock = threading.RLock()
        self._offset = 0.0
        self._sessions: dict[str, dict[str, Any]] = {}
        self._session_versions: dict[str, str] = {}
        self._line_items: dict[str, tuple[LineItem, ...]] = {}
        self._session_intent_data: dict[str, dict[str, Any]] = {}
        self._intents: dict[str, dict[str, Any]] = {}
        self._charges: dict[str, dict[str, Any]] = {}
        self._refunds: dict[str, dict[str, Any]] = {}
        self._idempotency = IdempotencyStore()
        self._log = EventLog(retry_delays=retry_delays)

    # -- configuration and time --------------------------------------------------------------------

    def add_webhook_endpoint(
        self, url: str, secret: str, *, enabled_events: Sequence[str] = ("*",)
    ) -> WebhookEndpoint:
        endpoint = WebhookEndpoint(url, secret, tuple(enabled_events))
        self._log.add_endpoint(endpoint)
        return endpoint

    def now(self) -> int:
        return int(self.clock() + self._offset)

    def advance(self, seconds: float) -> list[str]:
        """Move the fake's clock forward (like a Stripe test clock); returns sessions that expired."""
        with self._lock:
            self._offset += seconds
            return self.expire_due_sessions()

    def close(self) -> None:
        self._log.close()

    # -- inspection --------------------------------------------------------------------------------

    def sessions(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._sessions.values()))

    def session(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._session(session_id))

    def line_items(self, session_id: str) -> tuple[LineItem, ...]:
        with self._lock:
            self._session(session_id)
            return self._line_items[session_id]

    def refunds(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._refunds.values()))

    def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        return self._log.events(event_type)

    def event_payload(self, event_id: str) -> bytes:
        """The exact bytes delivered for an event (what a signature must be computed over)."""
        return self._log.payload(event_id)

    def deliveries(self) -> list[DeliveryAttempt]:
        return self._log.deliveries()

    def wait_for_deliveries(self, timeout: float = 5.0) -> bool:
        return self._log.wait_idle(timeout)

    # -- operations (also reachable over HTTP) -----------------------------------------------------

    def create_session(
        self, params: Mapping[str, object], *, base_url: str, ctx: RequestContext = NO_REQUEST
    ) -> dict[str, Any]:
        """Create a session from decoded params (the SDK's param dicts work too, ints and all)."""
        with self._lock:
            created = self.now()
            request = validate_create(dict(params), created=created)
            session_id = objects.new_id("cs_test_", 58)
            session = objects.checkout_session(
                session_id=session_id,
                created=created,
                expires_at=request.expires_at,
                url=f"{(self.public_base_url or base_url).rstrip('/')}/checkout/{session_id}",
                mode=request.mode,
                currency=request.currency,
                amount_total=request.amount_total,
                params=request.params,
            )
            self._sessions[session_id] = session
            self._session_versions[session_id] = ctx.api_version or self.api_version
            self._line_items[session_id] = request.line_items
            self._session_intent_data[session_id] = request.params["payment_intent_data"]
            return copy.deepcopy(session)

    def expire_session(self, session_id: str, ctx: RequestContext = NO_REQUEST) -> dict[str, Any]:
        with self._lock:
            self.expire_due_sessions()
            session = self._session(session_id)
            if session["status"] != "open":
                raise session_not_open(session)
            self._expire(session, ctx)
            return copy.deepcopy(session)

    def pay_session(
        self, session_id: str, *, email: str = "customer@example.com", delayed: bool = False
    ) -> dict[str, Any]:
        """What the hosted page's Pay button does: complete the session and emit the completion event.

        `delayed`: a delayed payment method (bank debit): the session completes `unpaid` and the money
        arrives, or not, with `settle_delayed_payment`.
        """
        with self._lock:
            self.expire_due_sessions()
            session = self._session(session_id)
            if session["status"] != "open":
                raise StripeError(
                    400, f"This Checkout Session is {session['status']} and can no longer be paid."
                )
            intent_id, charge_id = objects.new_id("pi_"), objects.new_id("ch_")
            intent = objects.payment_intent(
                intent_id=intent_id,
                charge_id=charge_id,
                amount=session["amount_total"],
                currency=session["currency"],
                created=self.now(),
                data=self._session_intent_data[session_id],
            )
            customer_email = session["customer_email"] or email
            self._intents[intent_id] = intent
            self._charges[charge_id] = objects.charge(
                charge_id=charge_id, intent=intent, email=customer_email
            )
            if delayed:
                intent["status"] = "processing"
                self._charges[charge_id] |= {"status": "pending", "paid": False}
            session |= {
                "status": "complete",
                "payment_status": "unpaid" if delayed else "paid",
                "payment_intent": intent_id,
                "url": None,
            }
            session["customer_details"] = objects.customer_details(customer_email)
            self.emit(
                "checkout.session.completed", session, RequestContext(api_version=self._version_of(session))
            )
            return copy.deepcopy(session)

    def settle_delayed_payment(self, session_id: str, *, succeeded: bool) -> dict[str, Any]:
        """The bank's answer for a delayed payment: `checkout.session.async_payment_succeeded|failed`."""
        with self._lock:
            session = self._session(session_id)
            intent = self._intents.get(session["payment_intent"] or "")
            if session["status"] != "complete" or intent is None or intent["status"] != "processing":
                raise StripeError(400, f"Checkout Session {session_id} has no payment awaiting settlement.")
            charge = self._charges[intent["latest_charge"]]
            if succeeded:
                intent["status"] = "succeeded"
                charge |= {"status": "succeeded", "paid": True}
                session["payment_status"] = "paid"
            else:
                intent["status"] = "requires_payment_method"
                charge |= {"status": "failed", "paid": False}
            event_type = "checkout.session.async_payment_" + ("succeeded" if succeeded else "failed")
            self.emit(event_type, session, RequestContext(api_version=self._version_of(session)))
            return copy.deepcopy(session)

    def refund(self, params: Mapping[str, object], ctx: RequestContext = NO_REQUEST) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(create_refund(self, dict(params), ctx))

    def expire_due_sessions(self) -> list[str]:
        """Expire open sessions whose `expires_at` has passed, emitting `checkout.session.expired`."""
        with self._lock:
            now = self.now()
            due = [s for s in self._sessions.values() if s["status"] == "open" and s["expires_at"] <= now]
            for session in due:
                self._expire(session, RequestContext())
            return [s["id"] for s in due]

    # -- lookups used by the app and by refunds ----------------------------------------------------

    def find_payment_intent(self, intent_id: str) -> dict[str, Any] | None:
        return self._intents.get(intent_id)

    def find_charge(self, charge_id: str) -> dict[str, Any] | None:
        return self._charges.get(charge_id)

    def find_refund(self, refund_id: str) -> dict[str, Any]:
        with self._lock:
            refund = self._refunds.get(refund_id)
            if refund is None:
                raise resource_missing("refund", refund_id, "id")
            return copy.deepcopy(refund)

    def store_refund(self, refund: dict[str, Any]) -> None:
        self._refunds[refund["id"]] = refund

    def find_event(self, event_id: str) -> dict[str, Any]:
        return self._log.find(event_id)

    # -- events and idempotency --------------------------------------------------------------------

    def emit(
        self,
        event_type: str,
        data_object: dict[str, Any],
        ctx: RequestContext,
        *,
        previous_attributes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            return self._log.emit(
                event_type,
                data_object,
                created=self.now(),
                api_version=ctx.api_version or self.api_version,
                ctx=ctx,
                previous_attributes=previous_attributes,
                deliver=self.deliver_webhooks,
            )

    def idempotent(
        self,
        *,
        api_key: str,
        key: str | None,
        endpoint: str,
        params: dict[str, Any],
        request_id: str,
        run: Callable[[], dict[str, Any]],
    ) -> Outcome:
        """Run a POST under Stripe's idempotency rules, holding the lock so same-key requests serialise."""
        with self._lock:
            now = self.clock() + self._offset
            return self._idempotency.execute(api_key, key, endpoint, params, request_id, now, run)

    # -- internals ---------------------------------------------------------------------------------

    def _session(self, session_id: str) -> dict[str, Any]:
        session = self._sessions.get(session_id)
        if session is None:
            raise resource_missing("checkout.session", session_id, "session")
        return session

    def _version_of(self, session: dict[str, Any]) -> str:
        return self._session_versions.get(session["id"], self.api_version)

    def _expire(self, session: dict[str, Any], ctx: RequestContext) -> None:
        session |= {"status": "expired", "url": None}
        version = ctx.api_version or self._version_of(session)
        self.emit(
            "checkout.session.expired", session, RequestContext(ctx.request_id, ctx.idempotency_key, version)
        )
