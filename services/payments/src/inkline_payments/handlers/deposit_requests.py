"""`deposit.requested` → a Checkout Session for the held slot → `deposit.link_created`.

The request is recorded in its own short transaction before Stripe is called, so every retry (after a
crash, a timeout, a redelivery) sends Stripe exactly the same parameters under the same idempotency key
and gets the same session back instead of a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import structlog

from inkline_contracts import subjects
from inkline_contracts.base import Money
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.deposit import DepositFailed, DepositLinkCreated, RequestDeposit
from inkline_payments.adapters.gateway import ExpiryRejectedError, StripeGateway
from inkline_payments.db import deposits
from inkline_payments.db.artist_settings_copy import artist_deposits
from inkline_payments.db.deposit_changes import apply_session, publish_expired
from inkline_payments.db.models import Deposit
from inkline_payments.domain.amounts import DepositPolicy, NoDepositRuleError
from inkline_payments.domain.checkout import CheckoutRequest
from inkline_payments.domain.expiry import session_expiry
from inkline_payments.domain.statuses import DepositStatus
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)


class RequestDepositHandler:
    """Creates the deposit's Stripe Checkout Session and publishes its link."""

    def __init__(
        self,
        *,
        gateway: StripeGateway,
        policy: DepositPolicy,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime],
    ) -> None:
        self._gateway = gateway
        self._policy = policy
        self._uow = uow
        self._clock = clock

    async def __call__(self, work: UnitOfWork, envelope: Envelope[RequestDeposit]) -> None:
        request = envelope.payload
        now = self._clock()
        if await deposits.by_id(work.session, request.deposit_id, lock=False) is None:
            policy = await self._policy_now(work)
            refused = self._refusal(policy, request, now)
            if refused is not None:
                await self._refuse(work, envelope, refused)
                return
            await self._record(policy, request, now)
        deposit = await deposits.by_id(work.session, request.deposit_id)
        assert deposit is not None  # recorded above, or by an earlier delivery
        if deposit.status != DepositStatus.CREATING:
            log.info("deposit_request_already_handled", deposit_id=str(deposit.id), status=deposit.status)
            return
        if deposit.hold_expires_at <= now:
            # A retry that comes after the hold ended: no link goes out for a released slot.
            deposit.status = DepositStatus.EXPIRED.value
            publish_expired(work, deposit, causation_id=envelope.message_id)
            return
        try:
            session = await self._gateway.create_checkout_session(_checkout_request(deposit))
        except ExpiryRejectedError:
            # Give up this attempt (releasing the row lock) so the refresh can commit, then retry.
            await work.session.rollback()
            await self._refresh_expiry(deposit.id, now)
            raise
        deposit.checkout_url = session.url
        apply_session(work, deposit, session, now=now, causation_id=envelope.message_id)
        if session.url is None or deposit.status != DepositStatus.OPEN:
            return
        work.publish(
            subjects.DEPOSIT_LINK_CREATED,
            DepositLinkCreated(
                deposit_id=deposit.id,
                lead_id=deposit.lead_id,
                hold_id=deposit.hold_id,
                amount=Money(amount_minor=deposit.amount_minor, currency=deposit.currency),
                url=session.url,
                expires_at=deposit.session_expires_at,
            ),
            correlation_id=str(deposit.lead_id),
            causation_id=envelope.message_id,
        )

    async def _policy_now(self, work: UnitOfWork) -> DepositPolicy:
        """The deployment's rules, with the currency and amounts the artist last saved in the studio."""
        saved = await artist_deposits(work.session)
        return self._policy if saved is None else self._policy.as_artist_set(saved.currency, saved.by_size)

    def _refusal(self, policy: DepositPolicy, request: RequestDeposit, now: datetime) -> str | None:
        if session_expiry(hold_expires_at=request.expires_at, now=now) is None:
            return "hold_expired"
        try:
            policy.amount_for(request.size_category, request.quote)
        except NoDepositRuleError as exc:
            return str(exc)
        return None

    async def _refuse(self, work: UnitOfWork, envelope: Envelope[RequestDeposit], reason: str) -> None:
        """Record a request that cannot get a link, and say why; redelivery finds it and does nothing."""
        request = envelope.payload
        expired = reason == "hold_expired"
        deposit = Deposit(
            id=request.deposit_id,
            lead_id=request.lead_id,
            hold_id=request.hold_id,
            status=(DepositStatus.EXPIRED if expired else DepositStatus.FAILED).value,
            amount_minor=request.quote.amount_minor if request.quote else 0,
            currency=request.quote.currency if request.quote else self._policy.currency,
            description=request.description,
            slot_start=request.slot.start if request.slot else None,
            slot_timezone=request.timezone,
            language=request.language,
            hold_expires_at=request.expires_at,
            session_expires_at=request.expires_at,
            failure_reason=None if expired else reason,
        )
        await deposits.add_if_absent(work.session, deposit)
        log.warning("deposit_request_refused", deposit_id=str(request.deposit_id), reason=reason)
        if expired:
            publish_expired(work, deposit, causation_id=envelope.message_id)
            return
        work.publish(
            subjects.DEPOSIT_FAILED,
            DepositFailed(
                deposit_id=request.deposit_id, lead_id=request.lead_id, hold_id=request.hold_id, reason=reason
            ),
            correlation_id=str(request.lead_id),
            causation_id=envelope.message_id,
        )

    async def _record(self, policy: DepositPolicy, request: RequestDeposit, now: datetime) -> None:
        expires_at = session_expiry(hold_expires_at=request.expires_at, now=now)
        assert expires_at is not None  # refused otherwise
        async with self._uow() as side:
            amount = policy.amount_for(request.size_category, request.quote)
            await deposits.add_if_absent(
                side.session,
                Deposit(
                    id=request.deposit_id,
                    lead_id=request.lead_id,
                    hold_id=request.hold_id,
                    status=DepositStatus.CREATING.value,
                    amount_minor=amount.amount_minor,
                    currency=amount.currency,
                    description=request.description,
                    slot_start=request.slot.start if request.slot else None,
                    slot_timezone=request.timezone,
                    language=request.language,
                    hold_expires_at=request.expires_at,
                    session_expires_at=expires_at,
                ),
            )
            await side.commit()

    async def _refresh_expiry(self, deposit_id: uuid.UUID, now: datetime) -> None:
        """Stripe validates before it saves an idempotency key, so a refused `expires_at` means no earlier
        attempt created a session: the retry may safely ask with a fresh expiry."""
        async with self._uow() as side:
            deposit = await deposits.by_id(side.session, deposit_id)
            if deposit is not None:
                fresh = session_expiry(hold_expires_at=deposit.hold_expires_at, now=now)
                deposit.session_expires_at = fresh or deposit.session_expires_at
            await side.commit()


def _checkout_request(deposit: Deposit) -> CheckoutRequest:
    return CheckoutRequest(
        deposit_id=deposit.id,
        lead_id=deposit.lead_id,
        hold_id=deposit.hold_id,
        amount_minor=deposit.amount_minor,
        currency=deposit.currency,
        description=deposit.description,
        expires_at=deposit.session_expires_at,
        language=deposit.language,
    )
