"""Composition root of the notifier service: the only place its objects are built."""

from __future__ import annotations

import socket
import uuid
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_contracts.send_routing import Lane, all_send_tokens
from inkline_notifier import SERVICE
from inkline_notifier.adapters.media_forwarding import MediaForwardingWhatsApp
from inkline_notifier.adapters.media_transfer import GraphMediaTransfer
from inkline_notifier.adapters.sheets import GoogleSheets, SheetsGateway
from inkline_notifier.adapters.whatsapp import GraphWhatsApp, WhatsAppGateway
from inkline_notifier.db.send_rate import PostgresLevelStore, level_store_engine
from inkline_notifier.domain.policy import Template
from inkline_notifier.domain.shared_rate import SharedRate
from inkline_notifier.domain.stored_bucket import StoredTokenBucket
from inkline_notifier.handlers.alerts import (
    BookingConflictHandler,
    CalendarEventFailedHandler,
    SystemAlertHandler,
)
from inkline_notifier.handlers.contacts import (
    ArtistMessageReceivedHandler,
    ClientIdentityChangedHandler,
    ClientMessageReceivedHandler,
    LeadCreatedHandler,
    LeadOptedInHandler,
    LeadOptedOutHandler,
)
from inkline_notifier.handlers.send import SendMessageHandler
from inkline_notifier.handlers.sheet_slots import (
    BookingConfirmedHandler,
    BookingMovedHandler,
    HoldExpiredHandler,
    HoldPlacedHandler,
    HoldReleasedHandler,
)
from inkline_notifier.handlers.sheets import (
    CampaignMetricsHandler,
    DepositLinkCreatedHandler,
    DepositPaidHandler,
    DepositRefundedHandler,
    HandoverRequestedHandler,
    LeadLanguageSetHandler,
    LeadQualifiedHandler,
    LeadRowsIdentityChangedHandler,
    LeadStatusChangedHandler,
)
from inkline_notifier.handlers.status import MessageStatusReceivedHandler
from inkline_notifier.jobs.sender import Sender, SendPolicy
from inkline_notifier.jobs.sheets_flusher import SheetsFlusher
from inkline_notifier.settings import NotifierSettings, TemplateRef
from inkline_platform.runtime import ServiceRuntime


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    whatsapp = _whatsapp(settings)
    # Two lanes, each its own sender and job, sharing the number's rate: replies and alerts never wait for
    # a campaign's batch, and marketing gets only a share of the rate while people are being answered.
    # The rate is the number's, whichever replica sends: every replica takes its tokens from one row.
    rate_engine = level_store_engine(settings.database_url)
    number_rate = StoredTokenBucket(
        PostgresLevelStore(rate_engine, phone_number_id=settings.whatsapp_phone_number_id),
        settings.whatsapp_messages_per_second,
    )
    rate = SharedRate(
        settings.whatsapp_messages_per_second,
        marketing_share=settings.whatsapp_marketing_share,
        whole=number_rate,
    )
    # Recorded with each call (`sent_by`): which replica made it.
    replica = f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    sender = Sender(
        uow=runtime.uow,
        gateway=whatsapp,
        limiter=rate.replies,
        policy=_send_policy(settings),
        lane=Lane.REPLY,
        name=replica,
    )
    bulk_sender = Sender(
        uow=runtime.uow,
        gateway=whatsapp,
        limiter=rate.marketing,
        policy=_send_policy(settings),
        lane=Lane.BULK,
        name=replica,
    )
    senders = {Lane.REPLY: sender, Lane.BULK: bulk_sender}

    def queued(lane: Lane) -> None:
        senders[lane].wake()

    sheets_gateway = _sheets(settings)

    artist_zone = ZoneInfo(settings.artist_timezone)
    # group_commit: the messages of one fetch in one transaction (these handlers' effects are all in it).
    runtime.consume(
        subjects.LEAD_CREATED,
        LeadCreatedHandler(sheets=sheets_gateway is not None),
        name="lead-created",
        group_commit=True,
    )
    runtime.consume(
        subjects.CONSULT_MESSAGE_RECEIVED,
        ClientMessageReceivedHandler(),
        name="client-message",
        group_commit=True,
    )
    runtime.consume(
        subjects.ARTIST_MESSAGE_RECEIVED,
        ArtistMessageReceivedHandler(),
        name="artist-message",
        group_commit=True,
    )
    runtime.consume(subjects.LEAD_OPTED_OUT, LeadOptedOutHandler(), name="opted-out", group_commit=True)
    runtime.consume(subjects.LEAD_OPTED_IN, LeadOptedInHandler(), name="opted-in", group_commit=True)
    runtime.consume(
        subjects.LEAD_IDENTITY_CHANGED,
        ClientIdentityChangedHandler(),
        name="identity-changed",
        group_commit=True,
    )
    # Queued in the order they were published, so a client reads a reply's parts in the order written: each
    # recipient's sends share one partition of their lane, consumed in order; the partitions go in parallel.
    runtime.consume(
        subjects.NOTIFY_SEND,
        SendMessageHandler(queued=queued),
        name="send",
        ordered=True,
        partitions=all_send_tokens(),
    )
    runtime.consume(
        subjects.MESSAGE_STATUS_RECEIVED,
        MessageStatusReceivedHandler(),
        name="message-status",
        group_commit=True,
    )
    artist = settings.artist_whatsapp_number
    runtime.consume(
        subjects.BOOKING_CONFLICT,
        BookingConflictHandler(artist_wa_id=artist, zone=artist_zone, queued=sender.wake),
        name="booking-conflict-alert",
    )
    runtime.consume(
        subjects.CALENDAR_EVENT_FAILED,
        CalendarEventFailedHandler(artist_wa_id=artist, queued=sender.wake),
        name="calendar-failed-alert",
    )
    runtime.consume(
        subjects.SYSTEM_ALERT,
        SystemAlertHandler(artist_wa_id=artist, queued=sender.wake),
        name="system-alert",
    )
    # Woken by every message queued; the poll stays for retries coming due and sends queued elsewhere. Every
    # replica sends at once: each locks the messages it takes, and the others skip them.
    runtime.every(
        settings.send_poll_seconds, sender.run, name="sender", wake=sender.woken, every_replica=True
    )
    runtime.every(
        settings.send_poll_seconds,
        bulk_sender.run,
        name="sender-bulk",
        wake=bulk_sender.woken,
        every_replica=True,
    )
    if sheets_gateway is not None:
        runtime.consume(subjects.LEAD_QUALIFIED, LeadQualifiedHandler(), name="sheets-lead-qualified")
        runtime.consume(subjects.LEAD_STATUS_CHANGED, LeadStatusChangedHandler(), name="sheets-lead-status")
        runtime.consume(subjects.LEAD_LANGUAGE_SET, LeadLanguageSetHandler(), name="sheets-lead-language")
        runtime.consume(
            subjects.LEAD_IDENTITY_CHANGED, LeadRowsIdentityChangedHandler(), name="sheets-identity-changed"
        )
        runtime.consume(
            subjects.LEAD_HANDOVER_REQUESTED, HandoverRequestedHandler(), name="sheets-lead-handover"
        )
        runtime.consume(subjects.HOLD_PLACED, HoldPlacedHandler(zone=artist_zone), name="sheets-hold-placed")
        runtime.consume(subjects.HOLD_EXPIRED, HoldExpiredHandler(), name="sheets-hold-expired")
        runtime.consume(subjects.HOLD_RELEASED, HoldReleasedHandler(), name="sheets-hold-released")
        runtime.consume(
            subjects.BOOKING_CONFIRMED,
            BookingConfirmedHandler(zone=artist_zone),
            name="sheets-booking-confirmed",
        )
        runtime.consume(
            subjects.BOOKING_MOVED, BookingMovedHandler(zone=artist_zone), name="sheets-booking-moved"
        )
        runtime.consume(
            subjects.DEPOSIT_LINK_CREATED, DepositLinkCreatedHandler(), name="sheets-deposit-link"
        )
        runtime.consume(subjects.DEPOSIT_PAID, DepositPaidHandler(), name="sheets-deposit-paid")
        runtime.consume(subjects.DEPOSIT_REFUNDED, DepositRefundedHandler(), name="sheets-deposit-refunded")
        runtime.consume(subjects.CAMPAIGN_METRICS, CampaignMetricsHandler(), name="sheets-campaign-metrics")
        flusher = SheetsFlusher(
            uow=runtime.uow,
            gateway=sheets_gateway,
            backoff_base_seconds=settings.sheets_quota_backoff_seconds,
        )
        runtime.every(settings.sheets_flush_seconds, flusher.run, name="sheets-flush")

    # Sends already made reach the database before the sender's job is cancelled; the Graph API client
    # closes once nothing can use it.
    runtime.on_stop(sender.close, while_running=True)
    runtime.on_stop(bulk_sender.close, while_running=True)
    runtime.on_stop(whatsapp.aclose)
    runtime.on_stop(rate_engine.dispose)
    return runtime.create_app(title="Inkline notifier")


def _whatsapp(settings: NotifierSettings) -> WhatsAppGateway:
    # Meta, or whatever WHATSAPP_GRAPH_URL names that speaks its API (the sandbox hub, a test's fake).
    graph = GraphWhatsApp(
        base_url=settings.whatsapp_graph_url,
        phone_number_id=settings.whatsapp_phone_number_id,
        access_token=settings.whatsapp_access_token.get_secret_value(),
        timeout_seconds=settings.whatsapp_timeout_seconds,
    )
    # Media received from WhatsApp (the artist's picture) is uploaded to the number before it is sent.
    transfer = GraphMediaTransfer(
        base_url=settings.whatsapp_graph_url,
        phone_number_id=settings.whatsapp_phone_number_id,
        access_token=settings.whatsapp_access_token.get_secret_value(),
        timeout_seconds=settings.whatsapp_timeout_seconds,
        retry_base_seconds=settings.send_retry_base_seconds,
    )
    return MediaForwardingWhatsApp(graph, transfer)


def _sheets(settings: NotifierSettings) -> SheetsGateway | None:
    if not settings.sheets_enabled:
        return None
    # Settings refuse a spreadsheet without the key file, in and outside the sandbox.
    assert settings.google_service_account_file is not None
    return GoogleSheets(
        service_account_file=settings.google_service_account_file,
        spreadsheet_id=settings.sheets_spreadsheet_id,
        api_endpoint=settings.google_api_endpoint,
    )


def _template(ref: TemplateRef) -> Template:
    return Template(name=ref.name, language=ref.language, translations=frozenset(ref.translations))


def _send_policy(settings: NotifierSettings) -> SendPolicy:
    default = settings.whatsapp_default_fallback_template
    return SendPolicy(
        templates={purpose: _template(ref) for purpose, ref in settings.whatsapp_fallback_templates.items()},
        default_template=_template(default) if default is not None else None,
        max_attempts=settings.send_max_attempts,
        retry_base_seconds=settings.send_retry_base_seconds,
        throttle_base_seconds=settings.send_throttle_base_seconds,
        throttle_max_seconds=settings.send_throttle_max_seconds,
        batch_size=settings.send_batch_size,
        unconfirmed_wait_seconds=settings.whatsapp_timeout_seconds + settings.send_unconfirmed_grace_seconds,
    )
