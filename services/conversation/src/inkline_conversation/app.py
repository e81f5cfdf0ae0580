"""Composition root of the conversation service: the only place its objects are built."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from inkline_contracts import subjects
from inkline_contracts.subjects import Subject
from inkline_conversation import SERVICE
from inkline_conversation.adapters.graph_media import GraphMediaSource
from inkline_conversation.api.action_pages import action_router, artist_copy_now
from inkline_conversation.api.conversations_api import conversations_api_router
from inkline_conversation.api.leads_api import leads_api_router
from inkline_conversation.api.media_links import media_router
from inkline_conversation.api.reply_templates_api import reply_templates_api_router
from inkline_conversation.api.settings_api import settings_api_router
from inkline_conversation.api.whatsapp_webhook import whatsapp_router
from inkline_conversation.db.repositories import sql_repositories
from inkline_conversation.domain.artist_settings import defaults_from
from inkline_conversation.domain.parsing.preload import preload_vocabularies
from inkline_conversation.handlers.artist_messages import ArtistMessageHandler, ArtistThreadHandler
from inkline_conversation.handlers.client_messages import ClientMessageHandler
from inkline_conversation.handlers.failed_media import MediaNotPassedOnHandler
from inkline_conversation.handlers.lead_events import LeadEventHandler
from inkline_conversation.handlers.tour_legs import TourLegPublishedHandler
from inkline_conversation.jobs.appointment_messages import AppointmentMessages
from inkline_conversation.jobs.artist_chats import ArtistChats
from inkline_conversation.jobs.artist_digest import ArtistDigest
from inkline_conversation.jobs.media_download import MediaDownloads
from inkline_conversation.jobs.reminders import Reminders
from inkline_conversation.journey.artist_actions import ArtistActions
from inkline_conversation.journey.config import build_config
from inkline_conversation.settings import ConversationSettings
from inkline_platform.body_limit import FORM_BODY_LIMIT, MIB, BodyLimits
from inkline_platform.clock import Clock, utc_now
from inkline_platform.runtime import ServiceRuntime

# Meta's webhook batches are a few KiB per message; a MiB leaves room for a large batch, and no more.
BODY_LIMITS = BodyLimits(by_prefix={"/webhooks/whatsapp": MIB, "/actions/": FORM_BODY_LIMIT})

# Consumed for one lead each, under its row lock, and routed by journey/router.py; the name is the
# durable consumer's (`conversation-<name>`), so it never changes.
LEAD_EVENTS: tuple[tuple[Subject[Any], str], ...] = (
    (subjects.SLOTS_SUGGESTED, "slots-suggested"),
    (subjects.HOLD_PLACED, "hold-placed"),
    (subjects.HOLD_REJECTED, "hold-rejected"),
    (subjects.HOLD_EXPIRED, "hold-expired"),
    (subjects.DEPOSIT_LINK_CREATED, "deposit-link"),
    (subjects.DEPOSIT_PAID, "deposit-paid"),
    (subjects.DEPOSIT_EXPIRED, "deposit-expired"),
    (subjects.BOOKING_CONFIRMED, "booking-confirmed"),
    (subjects.BOOKING_CONFLICT, "booking-conflict"),
    (subjects.BOOKING_CANCELLED, "booking-cancelled"),
    (subjects.BOOKING_MOVED, "booking-moved"),
    (subjects.BOOKING_MOVE_REJECTED, "booking-move-rejected"),
    (subjects.DEPOSIT_REFUNDED, "deposit-refunded"),
)


def create_app(settings: ConversationSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or ConversationSettings()
    preload_vocabularies()
    runtime = ServiceRuntime(service=SERVICE, settings=settings)
    config = build_config(settings, clock=clock)
    # The journey reads and writes through repositories on each unit of work's session.
    repos = sql_repositories

    # group_commit: the messages of one fetch in one transaction, for handlers whose every effect is in it
    # (not the artist's, which opens units of work of its own).
    client_messages = ClientMessageHandler(config, repos)
    runtime.consume(
        subjects.CONSULT_MESSAGE_RECEIVED, client_messages, name="client-message", group_commit=True
    )
    runtime.consume(
        subjects.CALENDAR_TOUR_LEG_PUBLISHED,
        TourLegPublishedHandler(config, repos),
        name="tour-leg",
        group_commit=True,
    )
    # The artist's own number: taps on our buttons and replies for clients (never a lead).
    artist_messages = ArtistMessageHandler(
        config, repos, uow=runtime.uow, executor=ArtistActions(config, repos)
    )
    runtime.consume(subjects.ARTIST_MESSAGE_RECEIVED, artist_messages, name="artist-message")
    threads = ArtistThreadHandler(config)
    runtime.consume(
        subjects.MESSAGE_SENT, threads, name="artist-threads", accepts=threads.wants, group_commit=True
    )
    media_failures = MediaNotPassedOnHandler(config, repos)
    runtime.consume(
        subjects.MESSAGE_FAILED, media_failures, name="media-not-passed-on", accepts=media_failures.wants
    )
    # Events about one lead: journey/router.py says which step each one runs.
    for subject, name in LEAD_EVENTS:
        runtime.consume(subject, LeadEventHandler(config, repos), name=name, group_commit=True)

    # Periodic jobs (jobs/): one replica at a time runs each.
    reminders = Reminders(runtime.uow, config, repos)
    runtime.every(settings.reminder_check_seconds, reminders.run, name="reminders")
    appointments = AppointmentMessages(runtime.uow, config, repos)
    chats = ArtistChats(runtime.uow, config, repos)
    runtime.every(settings.artist_chat_check_seconds, chats.run, name="artist-chats")
    digest = ArtistDigest(runtime.uow, config)
    runtime.every(settings.artist_chat_check_seconds, digest.run, name="artist-digest")
    runtime.every(settings.appointment_check_seconds, appointments.run, name="appointments")
    media = GraphMediaSource(
        base_url=settings.whatsapp_graph_url, access_token=settings.whatsapp_access_token
    )
    downloads = MediaDownloads(runtime.uow, media, config.clock)
    runtime.every(settings.media_check_seconds, downloads.run, name="media-download")

    routers = [
        whatsapp_router(
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
            uow=runtime.uow,
            artist_wa_id=settings.artist_whatsapp_number,
        ),
        action_router(
            uow=runtime.uow,
            executor=ArtistActions(config, repos),
            artist_copy=lambda work: artist_copy_now(config, work),
            clock=config.clock,
            timezone=settings.artist_timezone,
        ),
        media_router(uow=runtime.uow, secret=settings.media_link_secret, clock=config.clock),
        leads_api_router(
            uow=runtime.uow,
            executor=ArtistActions(config, repos),
            token=settings.conversation_admin_token,
            clock=config.clock,
            media_secret=settings.media_link_secret,
            public_base_url=settings.public_base_url,
        ),
        settings_api_router(
            uow=runtime.uow,
            defaults=defaults_from(settings),
            token=settings.conversation_admin_token,
            clock=config.clock,
            service_settings=settings,
        ),
        conversations_api_router(
            uow=runtime.uow,
            config=config,
            repos=repos,
            token=settings.conversation_admin_token,
            media_secret=settings.media_link_secret,
            public_base_url=settings.public_base_url,
        ),
        reply_templates_api_router(
            uow=runtime.uow,
            config=config,
            repos=repos,
            token=settings.conversation_admin_token,
            templates=settings.inbox_reply_templates,
        ),
    ]
    return runtime.create_app(title="Inkline conversation", routers=routers, body_limits=BODY_LIMITS)
