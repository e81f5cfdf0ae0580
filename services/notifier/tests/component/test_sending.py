"""notify.send through the real Graph adapter to the Cloud API fake: the window, errors, duplicates."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from inkline_contracts import subjects
from inkline_contracts.base import ClientIdentity, TimeRange
from inkline_contracts.events.booking import BookingConflict
from inkline_contracts.events.lead import ClientIdentityChanged, LeadOptedOut
from inkline_contracts.events.notify import (
    ButtonsContent,
    Category,
    ListContent,
    ListRow,
    MediaAttachment,
    ReplyButton,
    SendMessage,
    TemplateContent,
    TextContent,
)
from inkline_contracts.events.system import Severity, SystemAlert
from inkline_devstack.harness import JetStreamProbe, eventually, running_service
from inkline_notifier.app import create_app
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus, rows
from inkline_sandbox.graph import GraphState

CLIENT = "447700900123"
ARTIST = "447700900000"  # the make_settings fixture's ARTIST_WHATSAPP_NUMBER
MakeSettings = Callable[..., Awaitable[NotifierSettings]]


async def open_window(bus: Bus, wa_id: str = CLIENT) -> None:
    await bus.open_window(wa_id)


def text(body: str, *, to: str = CLIENT, purpose: str = "consult_question") -> SendMessage:
    return SendMessage(to=to, content=TextContent(body=body), purpose=purpose)


async def test_a_text_inside_the_window_is_sent_once_and_announced(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    lead = str(uuid.uuid4())
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        command = await bus.publish(
            subjects.NOTIFY_SEND, text("Where would you like it?"), correlation_id=lead
        )
        announced = await sent.wait_for_count(1)

    [message] = graph.messages(CLIENT)
    assert (message.type, message.text) == ("text", "Where would you like it?")
    assert len(graph.attempts()) == 1
    event = announced[0]
    assert event["correlation_id"] == lead
    assert event["causation_id"] == str(command.message_id)
    assert event["payload"] | {} == {
        "notification_id": str(command.message_id),
        "to": CLIENT,
        "wamid": message.wamid,
        "purpose": "consult_question",
        "category": "service",
        "campaign_tag": None,
    }
    stored = await rows(settings.database_url, "SELECT status, wamid, sent_as FROM outbound_messages")
    assert stored == [("sent", message.wamid, "text")]


async def test_a_username_client_known_only_by_bsuid_is_sent_to_in_their_own_window(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    bsuid = "GB.13491208655302741918"
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus, bsuid)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await bus.publish(subjects.NOTIFY_SEND, text("Where would you like it?", to=bsuid))
        announced = await sent.wait_for_count(1)

    [message] = graph.messages(bsuid)
    # Inside the window opened by their own message: free text, addressed by `recipient` (not `to`).
    assert (message.type, message.text) == ("text", "Where would you like it?")
    assert message.payload["recipient"] == bsuid
    assert "to" not in message.payload
    assert announced[0]["payload"]["to"] == bsuid


async def test_a_bsuid_client_whose_phone_meta_has_shown_is_sent_to_at_the_phone(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    bsuid = "GB.13491208655302741918"
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus, bsuid)
        await bus.open_window(bsuid, client=ClientIdentity(phone=CLIENT, bsuid=bsuid))
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=2)
        await bus.publish(subjects.NOTIFY_SEND, text("See you Friday", to=bsuid))
        announced = await sent.wait_for_count(1)

    # Meta asks businesses to send to the phone when they know it; the person's address stays the BSUID.
    [message] = graph.messages(CLIENT)
    assert message.payload["to"] == CLIENT
    assert "recipient" not in message.payload
    assert announced[0]["payload"]["to"] == bsuid


OLD_BSUID, NEW_BSUID = "GB.13491208655302741918", "GB.99991208655302741000"


@pytest.mark.parametrize(
    ("address", "changed", "sent_to", "field"),
    [
        pytest.param(CLIENT, ClientIdentity(phone="447700900456"), "447700900456", "to", id="new-number"),
        # Meta no longer knows the old ID of a client who never shared a phone.
        pytest.param(OLD_BSUID, ClientIdentity(bsuid=NEW_BSUID), NEW_BSUID, "recipient", id="new-bsuid"),
        # Meta asks businesses to send to the phone when they know it, whatever the BSUID.
        pytest.param(
            CLIENT, ClientIdentity(phone=CLIENT, bsuid=NEW_BSUID), CLIENT, "to", id="new-bsuid-of-a-phone"
        ),
    ],
)
async def test_a_client_whose_number_or_bsuid_changed_is_sent_to_where_they_are_reached_now(
    make_settings: MakeSettings,
    bus: Bus,
    graph: GraphState,
    nats_url: str,
    address: str,
    changed: ClientIdentity,
    sent_to: str,
    field: str,
) -> None:
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus, address)
        await bus.publish(
            subjects.LEAD_IDENTITY_CHANGED, ClientIdentityChanged(wa_id=address, client=changed)
        )
        await bus.wait_consumed(subjects.LEAD_IDENTITY_CHANGED, "notifier-identity-changed", count=1)
        await bus.publish(subjects.NOTIFY_SEND, text("Your deposit link", to=address))
        announced = await sent.wait_for_count(1)

    # The person keeps their address (and their window); only where the message goes may have changed.
    [message] = graph.messages(sent_to)
    assert message.payload[field] == sent_to
    assert sum(len(graph.messages(key)) for key in {address, sent_to}) == 1
    assert announced[0]["payload"]["to"] == address


async def test_outside_the_window_the_purposes_template_is_sent_instead(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    choice = ListContent(
        body="Pick a slot", button="Slots", rows=[ListRow(id="s1", title="Fri 12 Mar 11:00")]
    )
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(subjects.NOTIFY_SEND, SendMessage(to=CLIENT, content=choice, purpose="slot_choice"))
        await sent.wait_for_count(1)

    [message] = graph.messages(CLIENT)
    assert message.type == "template"
    assert message.body["name"] == "inkline_slot_options"
    assert message.body["components"][0]["parameters"] == [
        {"type": "text", "text": "Pick a slot - Fri 12 Mar 11:00"}
    ]


PICTURE = b"\x89PNG the stencil"
RECEIVED_ID = "1013859600285441"


def artist_picture() -> SendMessage:
    picture = TextContent(
        body="a picture: the stencil",
        media=MediaAttachment(type="image", id=RECEIVED_ID, caption="the stencil"),
        reply_to="wamid.client-asked",
    )
    return SendMessage(to=CLIENT, content=picture, purpose="artist_reply")


async def test_the_artists_picture_is_uploaded_to_the_number_and_sent_by_the_uploads_id_quoting_the_client(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    # What the artist sent: Meta holds it under the id their webhook carried, for downloading only.
    graph.add_media(PICTURE, "image/png", media_id=RECEIVED_ID)
    graph.fail_media_next(131000)  # one 500 looking it up: retried
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await bus.publish(subjects.NOTIFY_SEND, artist_picture())
        await sent.wait_for_count(1)

    [upload] = graph.uploads()
    assert (upload.content, upload.mime_type) == (PICTURE, "image/png")
    [message] = graph.messages(CLIENT)
    assert (message.type, message.body, message.reply_to) == (
        "image",
        {"id": upload.media_id, "caption": "the stencil"},
        "wamid.client-asked",
    )
    stored = await rows(settings.database_url, "SELECT status, sent_as FROM outbound_messages")
    assert stored == [("sent", "image")]


@pytest.mark.parametrize(
    ("held", "failing_lookups", "reason"),
    [
        (b"x" * (5 * 1024 * 1024 + 1), 0, "media_too_large"),
        (None, 0, "media_unavailable"),
        # Three tries per send, two sends (SEND_MAX_ATTEMPTS=2): every one a 500.
        (PICTURE, 6, "media_transfer_failed"),
    ],
    ids=["over-metas-5mb-for-images", "gone-from-whatsapp", "whatsapp-down-through-every-retry"],
)
async def test_a_picture_that_cannot_be_passed_on_fails_with_the_reason_and_sends_nothing(
    make_settings: MakeSettings,
    bus: Bus,
    graph: GraphState,
    nats_url: str,
    held: bytes | None,
    failing_lookups: int,
    reason: str,
) -> None:
    settings = await make_settings(send_max_attempts=2)
    if held is not None:
        graph.add_media(held, "image/jpeg", media_id=RECEIVED_ID)
    if failing_lookups:
        graph.fail_media_next(131000, times=failing_lookups)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        command = await bus.publish(subjects.NOTIFY_SEND, artist_picture())
        [event] = await failed.wait_for_count(1)

    assert event["payload"]["notification_id"] == str(command.message_id)
    assert event["payload"]["reason"] == reason
    assert (graph.uploads(), graph.attempts()) == ([], [])


async def test_outside_the_window_a_spanish_reader_gets_the_template_s_spanish_translation(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    question = TextContent(body="¿Más o menos de qué tamaño?")
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(
            subjects.NOTIFY_SEND,
            SendMessage(to=CLIENT, content=question, purpose="consult_question", language="es"),
        )
        await sent.wait_for_count(1)

    [message] = graph.messages(CLIENT)
    assert (message.type, message.body["name"]) == ("template", "inkline_consult_followup")
    assert message.body["language"] == {"code": "es"}
    stored = await rows(settings.database_url, "SELECT language FROM outbound_messages")
    assert stored == [("es",)]


async def test_outside_the_window_a_portuguese_clients_reminder_goes_as_the_pt_br_template(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    reminder = ButtonsContent(
        body="Até amanhã, sexta 11:00!",
        buttons=[
            ReplyButton(id="appt:confirm", title="Confirmar"),
            ReplyButton(id="appt:cancel", title="Cancelar"),
        ],
    )
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(
            subjects.NOTIFY_SEND,
            SendMessage(
                to=CLIENT,
                content=reminder,
                category=Category.UTILITY,
                purpose="appointment_reminder_final",
                language="pt",
            ),
        )
        await sent.wait_for_count(1)

    # The Graph fake refuses a translation that was never approved (132001), as Meta does: "pt" is not one.
    [message] = graph.messages(CLIENT)
    assert (message.type, message.body["name"]) == ("template", "inkline_update")
    assert message.body["language"] == {"code": "pt_BR"}
    assert message.body["components"][0]["parameters"] == [
        {"type": "text", "text": "Até amanhã, sexta 11:00! - Confirmar / Cancelar"}
    ]


async def test_throughput_limit_130429_is_retried_later_and_sent_once(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    graph.fail_next(130429)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await bus.publish(subjects.NOTIFY_SEND, text("Your slot is held"))
        await sent.wait_for_count(1)

    assert [(a.outcome, a.error_code) for a in graph.attempts()] == [("rejected", 130429), ("accepted", None)]
    assert len(graph.messages()) == 1
    # Requeued with a delay rather than retried on the spot, and not counted as a failed attempt.
    stored = await rows(settings.database_url, "SELECT status, throttled, error_code FROM outbound_messages")
    assert stored == [("sent", 1, 130429)]


async def test_a_permanent_400_fails_the_message_without_retrying(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    graph.fail_next(131026)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        command = await bus.publish(subjects.NOTIFY_SEND, text("Your slot is held"))
        [event] = await failed.wait_for_count(1)

    assert len(graph.attempts()) == 1
    assert graph.messages() == []
    assert event["payload"]["notification_id"] == str(command.message_id)
    assert (event["payload"]["reason"], event["payload"]["error_code"]) == ("meta_error", 131026)


async def test_server_errors_are_retried_a_bounded_number_of_times(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings(send_max_attempts=3)
    # Each script names its recipient: both sends go out concurrently, and an unaddressed failure would go
    # to whichever reaches the fake first.
    graph.fail_next(131000, times=2, to=CLIENT)
    graph.fail_next(131016, times=5, to="447700900999")
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(subjects.NOTIFY_SEND, text("first", purpose="booking_confirmed"))
        await bus.publish(subjects.NOTIFY_SEND, text("second", to="447700900999"))
        await sent.wait_for_count(1)
        [gave_up] = await failed.wait_for_count(1)

    assert [a.outcome for a in graph.attempts(CLIENT)] == ["rejected", "rejected", "accepted"]
    assert len(graph.attempts("447700900999")) == 3
    assert gave_up["payload"]["reason"] == "meta_unavailable"


async def test_a_duplicate_notify_send_makes_one_http_call(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        command = await bus.publish(subjects.NOTIFY_SEND, text("Deposit received, thank you!"))
        await bus.publish(subjects.NOTIFY_SEND, text("ignored"), envelope=command)
        await bus.wait_consumed(subjects.NOTIFY_SEND, "notifier-send", count=2)
        await sent.wait_for_count(1)

    assert len(graph.attempts()) == 1
    assert len(sent.messages) == 1


async def test_re_engagement_error_131047_resends_as_the_template(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    graph.fail_next(131047)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await open_window(bus)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        await bus.publish(subjects.NOTIFY_SEND, text("Here is your deposit link", purpose="deposit_link"))
        await sent.wait_for_count(1)

    assert [a.type for a in graph.attempts()] == ["text", "template"]
    assert graph.last_message().body["name"] == "inkline_deposit_link"


async def test_without_a_template_a_message_outside_the_window_fails_with_outside_window(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings(whatsapp_fallback_templates={}, whatsapp_default_fallback_template=None)
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        await bus.publish(subjects.NOTIFY_SEND, text("hello again"))
        [event] = await failed.wait_for_count(1)

    assert event["payload"]["reason"] == "outside_window"
    assert graph.attempts() == []


async def test_marketing_to_an_opted_out_contact_is_refused(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    offer = SendMessage(
        to=CLIENT,
        content=TemplateContent(name="flash_day", body_parameters=["Sam"]),
        category=Category.MARKETING,
        purpose="campaign",
        campaign_tag="spring",
    )
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_FAILED.name) as failed,
    ):
        await bus.publish(subjects.LEAD_OPTED_OUT, LeadOptedOut(wa_id=CLIENT, keyword="STOP"))
        await bus.wait_consumed(subjects.LEAD_OPTED_OUT, "notifier-opted-out", count=1)
        await bus.publish(subjects.NOTIFY_SEND, offer)
        [event] = await failed.wait_for_count(1)

    assert (event["payload"]["reason"], event["payload"]["campaign_tag"]) == ("opted_out", "spring")
    assert graph.attempts() == []


async def test_a_booking_conflict_alerts_the_artist_by_template_outside_their_window(
    make_settings: MakeSettings, bus: Bus, graph: GraphState, nats_url: str
) -> None:
    settings = await make_settings()
    start = time.time() + 86_400
    begins = datetime.fromtimestamp(start, UTC).replace(microsecond=0)
    conflict = BookingConflict(
        lead_id=uuid.uuid4(),
        hold_id=uuid.uuid4(),
        deposit_id=uuid.uuid4(),
        range=TimeRange(start=begins, end=begins + timedelta(hours=3)),
        reason="slot taken after hold expired",
    )
    async with (
        running_service(create_app(settings)),
        JetStreamProbe(nats_url, subjects.MESSAGE_SENT.name) as sent,
    ):
        await bus.publish(subjects.BOOKING_CONFLICT, conflict)
        await sent.wait_for_count(1)

    [alert] = graph.messages(ARTIST)
    assert (alert.type, alert.body["name"]) == ("template", "inkline_artist_alert")
    assert "Booking conflict" in alert.body["components"][0]["parameters"][0]["text"]


async def test_a_critical_system_alert_reaches_the_artist_and_a_warning_does_not(
    make_settings: MakeSettings, bus: Bus, graph: GraphState
) -> None:
    settings = await make_settings()
    async with running_service(create_app(settings)):
        await open_window(bus, ARTIST)
        await bus.wait_consumed(subjects.CONSULT_MESSAGE_RECEIVED, "notifier-client-message", count=1)
        warning = SystemAlert(service="payments", kind="slow", message="Stripe is slow")
        critical = SystemAlert(
            service="calendar", kind="down", message="Calendar unreachable", severity=Severity.CRITICAL
        )
        await bus.publish(subjects.SYSTEM_ALERT, warning)
        await bus.publish(subjects.SYSTEM_ALERT, critical)
        await eventually(lambda: graph.messages(ARTIST))
        await bus.wait_consumed(subjects.SYSTEM_ALERT, "notifier-system-alert", count=2)

    assert [m.text for m in graph.messages(ARTIST)] == ["🚨 calendar: Calendar unreachable"]
