"""`GET|POST /webhooks/whatsapp`: Meta's verification handshake, and inbound messages and statuses.

The POST stores what arrived and answers 200 quickly; the consultation runs afterwards from the
`consult.message_received` event, so Meta never waits on our logic (and never retries because of it).
"""

from __future__ import annotations

import hashlib
import hmac
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import UTC, datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from pydantic import SecretStr, ValidationError
from sqlalchemy.exc import DBAPIError

from inkline_contracts import subjects
from inkline_contracts.events.artist import ArtistMessageReceived
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.events.lead import ClientIdentityChanged, LeadCreated
from inkline_contracts.events.notify import MessageStatusReceived
from inkline_conversation.api.meta_payload import Message, Status
from inkline_conversation.api.webhook_items import Batch, InboundItem, describe, read_batch, recipient_address
from inkline_conversation.db.artist_inbound import record_artist_message
from inkline_conversation.db.inbound import link_identifiers, record_inbound
from inkline_conversation.db.quarantine import ItemKind, Reason, SetAside, quarantine
from inkline_platform.credentials import credential_matches
from inkline_platform.metrics import WEBHOOK_MESSAGES
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
# PostgreSQL's SQLSTATE class for values it cannot take (too long, bad encoding, out of range).
DATA_EXCEPTION = "22"


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


def whatsapp_router(
    *, app_secret: SecretStr, verify_token: SecretStr, uow: UnitOfWorkFactory, artist_wa_id: str
) -> APIRouter:
    """`artist_wa_id`: the artist's own number, whose messages are the artist talking to Inkline."""
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
        # Each item on its own: what cannot be handled is quarantined and the POST still answers 200,
        # since Meta would only send it again (with the good items beside it) for ever.
        batch = read_batch(body)
        try:
            accepted = await _store_batch(uow, batch, artist_wa_id=artist_wa_id, guarded=False)
        except ContentRefusedError:
            # Rare: stored again from the start, each message in a savepoint, so only the refused one is lost.
            accepted = await _store_batch(uow, batch, artist_wa_id=artist_wa_id, guarded=True)
        return {"accepted": accepted}

    return router


class ContentRefusedError(Exception):
    """The database refused a message's content (SQLSTATE class 22) outside a savepoint: the transaction
    is lost, and the batch is stored again with each message in a savepoint of its own."""


async def _store_batch(uow: UnitOfWorkFactory, batch: Batch, *, artist_wa_id: str, guarded: bool) -> int:
    async with uow() as work:
        accepted = await _store(work, batch, artist_wa_id=artist_wa_id, guarded=guarded)
        await work.commit()
    return accepted


def _message_scope(work: UnitOfWork, *, guarded: bool) -> AbstractAsyncContextManager[object]:
    """A savepoint per message only once the database has refused one: two round trips each otherwise."""
    return work.session.begin_nested() if guarded else nullcontext()


def _refused_content(exc: DBAPIError, *, guarded: bool) -> str:
    """The SQLSTATE of content the database refused; raises for anything else (or outside a savepoint)."""
    sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
    if not sqlstate.startswith(DATA_EXCEPTION):
        raise exc  # not the content's fault (the database is down, ...): 500, and Meta tries again
    if not guarded:
        raise ContentRefusedError from exc
    return sqlstate


async def _store(work: UnitOfWork, batch: Batch, *, artist_wa_id: str, guarded: bool) -> int:
    for aside in batch.set_aside:
        await quarantine(work, aside)
    accepted = 0
    for item in batch.messages:
        if item.message.from_ == artist_wa_id:
            accepted += await _store_artist_message(work, item, guarded=guarded)
        else:
            accepted += await _store_message(work, item, guarded=guarded)
    for change in batch.identity_changes:
        # Not the client talking: nothing to answer, only who they are now.
        linked = await link_identifiers(
            work.session, known=change.known, new_phone=change.new_phone, new_bsuid=change.new_bsuid
        )
        if linked is not None:
            # The notifier and campaigns reach the client by the identifiers they know: without this they
            # would keep sending to the old number until the client writes again.
            work.publish(
                subjects.LEAD_IDENTITY_CHANGED,
                ClientIdentityChanged(wa_id=linked.address, client=linked.client),
                correlation_id=change.wamid,
            )
        accepted += 1
    for status in batch.statuses:
        try:
            _forward_status(work, status.status)
        except ValidationError as exc:
            await quarantine(
                work,
                SetAside(ItemKind.STATUS, Reason.INVALID_STATUS, describe(exc), status.raw, status.status.id),
            )
            continue
        accepted += 1
    work.after_commit(lambda: _count(batch))
    return accepted


def _count(batch: Batch) -> None:
    WEBHOOK_MESSAGES.labels("conversation", "message").inc(len(batch.messages))
    WEBHOOK_MESSAGES.labels("conversation", "status").inc(len(batch.statuses))


async def _store_message(work: UnitOfWork, item: InboundItem, *, guarded: bool) -> int:
    message, profile_name = item.message, item.sender.profile_name
    kind, text = _kind_and_text(message)
    sent_at_epoch = int(message.timestamp)
    try:
        # Guarded, a savepoint per message: one the database refuses after all is quarantined, the rest kept.
        async with _message_scope(work, guarded=guarded):
            recorded = await record_inbound(
                work.session,
                wamid=message.id,
                client=item.sender.identity,
                profile_name=profile_name,
                kind=kind.value,
                text=text,
                sent_at=datetime.fromtimestamp(sent_at_epoch, UTC),
                raw=item.raw,
            )
    except DBAPIError as exc:
        sqlstate = _refused_content(exc, guarded=guarded)
        # The SQLSTATE only: the error's text carries the statement's parameters (numbers, messages).
        cause = type(getattr(exc.orig, "__cause__", None)).__name__
        detail = f"the database refused it: SQLSTATE {sqlstate} {cause}"
        await quarantine(work, SetAside(ItemKind.MESSAGE, Reason.NOT_STORED, detail, item.raw, message.id))
        return 0
    if recorded is None:
        log.info("whatsapp_duplicate_ignored", wamid=message.id)
        return 0
    lead_id = str(recorded.lead_id)
    if recorded.lead_created:
        work.publish(
            subjects.LEAD_CREATED,
            LeadCreated(
                lead_id=recorded.lead_id,
                wa_id=recorded.address,
                profile_name=profile_name,
                client=recorded.client,
            ),
            correlation_id=lead_id,
        )
    work.publish(
        subjects.CONSULT_MESSAGE_RECEIVED,
        ClientMessageReceived(
            lead_id=recorded.lead_id,
            wa_id=recorded.address,
            whatsapp_message_id=message.id,
            kind=kind,
            text=text,
            sent_at_epoch=sent_at_epoch,
            client=item.sender.identity,
        ),
        correlation_id=lead_id,
    )
    return 1


async def _store_artist_message(work: UnitOfWork, item: InboundItem, *, guarded: bool) -> int:
    """The artist's own message: never a lead; a tap or a reply for journey/artist_inbox.py."""
    message = item.message
    kind, text = _kind_and_text(message)
    sent_at_epoch = int(message.timestamp)
    reply_to = message.context.id if message.context else None
    try:
        async with _message_scope(work, guarded=guarded):
            recorded = await record_artist_message(
                work.session,
                wamid=message.id,
                kind=kind.value,
                text=text,
                reply_to_wamid=reply_to,
                sent_at=datetime.fromtimestamp(sent_at_epoch, UTC),
                raw=item.raw,
            )
    except DBAPIError as exc:
        _refused_content(exc, guarded=guarded)
        detail = "the database refused the artist's message"
        await quarantine(work, SetAside(ItemKind.MESSAGE, Reason.NOT_STORED, detail, item.raw, message.id))
        return 0
    if not recorded:
        log.info("whatsapp_duplicate_ignored", wamid=message.id)
        return 0
    work.publish(
        subjects.ARTIST_MESSAGE_RECEIVED,
        ArtistMessageReceived(
            wa_id=message.from_,
            whatsapp_message_id=message.id,
            kind=kind,
            text=text,
            reply_to_wamid=reply_to,
            sent_at_epoch=sent_at_epoch,
        ),
        correlation_id=message.id,
    )
    return 1


def _forward_status(work: UnitOfWork, status: Status) -> None:
    error = status.errors[0] if status.errors else None
    recipient = recipient_address(status)
    assert recipient is not None  # read_batch set aside a status that names no one
    work.publish(
        subjects.MESSAGE_STATUS_RECEIVED,
        MessageStatusReceived(
            wamid=status.id,
            recipient_wa_id=recipient,
            status=status.status,
            timestamp_epoch=int(status.timestamp),
            error_code=error.code if error else None,
            error_title=error.title if error else None,
            biz_opaque_callback_data=_tag(status.biz_opaque_callback_data),
        ),
        correlation_id=status.id,
    )


def _tag(callback_data: str | None) -> str | None:
    """Meta caps the field at 512 characters; anything longer is not a tag of ours, so it is dropped."""
    return callback_data if callback_data is not None and len(callback_data) <= 512 else None
