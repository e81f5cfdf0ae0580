"""`GET|POST /webhooks/whatsapp`: Meta's verification handshake, and inbound messages and statuses.

The POST stores what arrived and answers 200 quickly; the consultation runs afterwards from the
`consult.message_received` event, so Meta never waits on our logic (and never retries because of it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from pydantic import SecretStr, ValidationError

from inkline_contracts import subjects
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.events.lead import LeadCreated
from inkline_contracts.events.notify import MessageStatusReceived
from inkline_conversation.api.meta_payload import Message, Status, WebhookPayload
from inkline_conversation.db.inbound import record_inbound
from inkline_platform.credentials import credential_matches
from inkline_platform.metrics import WEBHOOK_MESSAGES
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)


def signature_is_valid(body: bytes, header: str | None, app_secret: SecretStr) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`.

    An empty app secret signs nothing: anyone can compute an HMAC keyed with "".
    """
    secret = app_secret.get_secret_value()
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return credential_matches(header.removeprefix("sha256="), expected)


def _kind_and_text(message: Message) -> tuple[InboundKind, str | None]:
    if message.type == "text" and message.text:
        return InboundKind.TEXT, message.text.body
    if message.type == "interactive" and message.interactive:
        reply = message.interactive.button_reply or message.interactive.list_reply
        return InboundKind.INTERACTIVE, reply.id if reply else None
    if message.type == "button" and message.button:
        return InboundKind.INTERACTIVE, message.button.payload or message.button.text
    if message.media is not None:
        return InboundKind.MEDIA, message.media.caption
    return InboundKind.UNSUPPORTED, None


def whatsapp_router(*, app_secret: SecretStr, verify_token: SecretStr, uow: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["whatsapp"])

    @router.get("/webhooks/whatsapp")
    async def verify(
        mode: Annotated[str | None, Query(alias="hub.mode")] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
        challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
    ) -> Response:
        """Meta's subscription handshake: echo `hub.challenge` when the verify token matches."""
        if (
            mode == "subscribe"
            and token is not None
            and challenge is not None
            and credential_matches(token, verify_token.get_secret_value())
        ):
            return Response(content=challenge, media_type="text/plain")
        raise HTTPException(status_code=403, detail="verification failed")

    @router.post("/webhooks/whatsapp")
    async def receive(
        request: Request, x_hub_signature_256: Annotated[str | None, Header()] = None
    ) -> dict[str, int]:
        """Inbound messages and delivery statuses from Meta, signed with the app secret."""
        body = await request.body()
        if not signature_is_valid(body, x_hub_signature_256, app_secret):
            WEBHOOK_MESSAGES.labels("conversation", "rejected").inc()
            raise HTTPException(status_code=401, detail="invalid X-Hub-Signature-256")
        try:
            payload = WebhookPayload.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            # Acknowledged, not refused: Meta would redeliver a payload that can never parse.
            log.error("whatsapp_payload_malformed", error=str(exc)[:1000])
            WEBHOOK_MESSAGES.labels("conversation", "rejected").inc()
            return {"accepted": 0}
        async with uow() as work:
            accepted = await _store(work, payload)
            await work.commit()
        changes = [change.value for entry in payload.entry for change in entry.changes]
        WEBHOOK_MESSAGES.labels("conversation", "message").inc(sum(len(c.messages) for c in changes))
        WEBHOOK_MESSAGES.labels("conversation", "status").inc(sum(len(c.statuses) for c in changes))
        return {"accepted": accepted}

    return router


async def _store(work: UnitOfWork, payload: WebhookPayload) -> int:
    accepted = 0
    for entry in payload.entry:
        for change in entry.changes:
            names = {contact.wa_id: contact.profile.name for contact in change.value.contacts}
            for message in change.value.messages:
                accepted += await _store_message(work, message, profile_name=names.get(message.from_))
            for status in change.value.statuses:
                _forward_status(work, status)
                accepted += 1
    return accepted


async def _store_message(work: UnitOfWork, message: Message, *, profile_name: str | None) -> int:
    kind, text = _kind_and_text(message)
    sent_at_epoch = int(message.timestamp)
    recorded = await record_inbound(
        work.session,
        wamid=message.id,
        wa_id=message.from_,
        profile_name=profile_name,
        kind=kind.value,
        text=text,
        sent_at=datetime.fromtimestamp(sent_at_epoch, UTC),
        raw=message.model_dump(mode="json", by_alias=True, exclude_none=True),
    )
    if recorded is None:
        log.info("whatsapp_duplicate_ignored", wamid=message.id)
        return 0
    lead_id = str(recorded.lead_id)
    if recorded.lead_created:
        work.publish(
            subjects.LEAD_CREATED,
            LeadCreated(lead_id=recorded.lead_id, wa_id=message.from_, profile_name=profile_name),
            correlation_id=lead_id,
        )
    work.publish(
        subjects.CONSULT_MESSAGE_RECEIVED,
        ClientMessageReceived(
            lead_id=recorded.lead_id,
            wa_id=message.from_,
            whatsapp_message_id=message.id,
            kind=kind,
            text=text,
            sent_at_epoch=sent_at_epoch,
        ),
        correlation_id=lead_id,
    )
    return 1


def _forward_status(work: UnitOfWork, status: Status) -> None:
    error = status.errors[0] if status.errors else None
    work.publish(
        subjects.MESSAGE_STATUS_RECEIVED,
        MessageStatusReceived(
            wamid=status.id,
            recipient_wa_id=status.recipient_id,
            status=status.status,
            timestamp_epoch=int(status.timestamp),
            error_code=error.code if error else None,
            error_title=error.title if error else None,
        ),
        correlation_id=status.id,
    )
