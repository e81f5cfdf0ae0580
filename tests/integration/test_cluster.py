"""Fifty clients book at once on a 3-node NATS JetStream cluster with two replicas of every service, and
mid-run one NATS node is killed (SIGKILL) and one replica of each service crashes.

Streams are replicated three times, so they keep a quorum without the dead node; every replica is its own
runtime (NATS connection, outbox relay, consumers, periodic jobs) over its service's shared database; the
tests reach replicas through round-robin balancers that retry on a sibling, as an ingress would, and
Stripe's webhooks come in over real HTTP through one. Afterwards every journey must have ended booked,
with one lead per client, each message a client or the artist should read sent exactly once, one
Checkout Session and one charge per lead and one calendar event per booking.
"""

from __future__ import annotations

import asyncio
import calendar
import re
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_devstack.nats_cluster import NatsCluster
from inkline_devstack.provider_fakes import CREDENTIALS, ProviderFakes, action_paths, provider_fakes, text_of
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_devstack.replicas import Replica, ReplicaSet, balancer_app, serve_in_loop
from inkline_devstack.services import SERVICES as ALL_SERVICES
from inkline_sandbox.graph import SentMessage
from inkline_sandbox.graph.webhooks import Customer, encode, list_reply_message, sign_payload, text_message

# The five services that carry the journey; the studio only calls their APIs and has no part in it.
SERVICES = tuple(info for info in ALL_SERVICES if info.name != "studio")

# Above the usual 300 s: a stalled journey fails its step after STEP_TIMEOUT with a readable report, which
# pytest-timeout's thread dump would otherwise pre-empt.
pytestmark = [pytest.mark.cluster, pytest.mark.timeout(420)]

JOURNEYS = 50
REPLICAS_PER_SERVICE = 2
KILLED_NODE = 0
CRASHED_REPLICA = 1
# Clients arrive in waves, each once the run has done this many more steps, so that when the first
# deposit is paid (the moment of the chaos) other journeys are mid-consultation, awaiting approval or slots.
WAVES = 5
WAVE_GAP_STEPS = 70
# A crashed replica's unacknowledged messages come back to a sibling after this long.
ACK_WAIT_SECONDS = 8.0
STEP_TIMEOUT = 90.0
ARTIST = CREDENTIALS.artist
# The consultation up to the dates question; each client then names its own dates and its Instagram.
ANSWERS_BEFORE_DATES = (
    "Hi! I'd love to book a tattoo",
    "a swallow with a banner",
    "right forearm",
    "10x12cm",
    "traditional",
    "skip",
    "£400-500",
    "London, UK",
)
INSTAGRAM = "@kit.tattoos"
SEND_READ_BACK = "1"
CONSULTATION_ANSWERS = len(ANSWERS_BEFORE_DATES) + 3
# Consultation answers, then approval, deposit link, payment, confirmation.
STEPS_PER_JOURNEY = CONSULTATION_ANSWERS + 4
SLOT_TAKEN = "that time was just taken"
ServiceApp = Callable[..., FastAPI]


class Progress:
    """Steps done across all journeys, to start waves and the chaos by how far the run is, not by clock."""

    def __init__(self) -> None:
        self.total = JOURNEYS * STEPS_PER_JOURNEY
        self.done = 0
        self.paid = 0
        self._changed = asyncio.Condition()

    async def step_done(self, step: str) -> None:
        async with self._changed:
            self.done += 1
            self.paid += step == "paid"
            self._changed.notify_all()

    async def until(self, predicate: Callable[[Progress], bool]) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: predicate(self))


@dataclass
class Journey:
    number: int
    client: Customer
    progress: Progress
    step: str = "not started"
    slot_picks: int = 0

    async def advance(self, step: str) -> None:
        self.step = step
        await self.progress.step_done(step)


class Phones:
    """Everything the Graph fake delivered, indexed by recipient, with waiters woken as messages arrive.

    One poller for all fifty journeys: each journey scanning the whole record would cost more CPU than the
    services themselves on a 2-core box.
    """

    def __init__(self, fakes: ProviderFakes) -> None:
        self._graph = fakes.graph
        self._seen = 0
        self.by_recipient: dict[str, list[SentMessage]] = defaultdict(list)
        self._changed = asyncio.Condition()

    async def run(self) -> None:
        while True:
            fresh = self._graph.messages()[self._seen :]
            if fresh:
                self._seen += len(fresh)
                async with self._changed:
                    for message in fresh:
                        self.by_recipient[message.wa_id].append(message)
                    self._changed.notify_all()
            await asyncio.sleep(0.1)

    def texts(self, to: str) -> list[str]:
        return [text_of(message) for message in self.by_recipient[to]]

    async def wait_for(self, to: str, predicate: Callable[[list[SentMessage]], Any]) -> Any:
        async with self._changed:
            result: Any = None

            def met() -> bool:
                nonlocal result
                result = predicate(self.by_recipient[to])
                return bool(result)

            try:
                await asyncio.wait_for(self._changed.wait_for(met), STEP_TIMEOUT)
            except TimeoutError:
                sent = self.by_recipient[to]
                last = text_of(sent[-1])[:160] if sent else "nothing"
                raise AssertionError(
                    f"not there after {STEP_TIMEOUT:.0f}s; {len(sent)} messages to {to}, the last: {last!r}"
                ) from None
            return result


@dataclass
class Stack:
    services: dict[str, ReplicaSet]
    phones: Phones
    fakes: ProviderFakes


@asynccontextmanager
async def replicated_stack(
    service_app: ServiceApp,
    databases: dict[str, str],
    cluster: NatsCluster,
    fakes: ProviderFakes,
) -> AsyncIterator[Stack]:
    """Two replicas of each service, replica r of service s on node (s + r) % 3 of the cluster."""
    services: dict[str, ReplicaSet] = {}
    for index, info in enumerate(SERVICES):
        replicas = [
            Replica(
                f"{info.name}-{number}",
                service_app(
                    info.name,
                    databases=databases,
                    fakes=fakes,
                    nats_url=cluster.urls[(index + number) % len(cluster.urls)],
                    stream_replicas=len(cluster.urls),
                    consumer_ack_wait_seconds=ACK_WAIT_SECONDS,
                ),
            )
            for number in range(REPLICAS_PER_SERVICE)
        ]
        services[info.name] = ReplicaSet(replicas)
    phones = Phones(fakes)
    async with AsyncExitStack() as stack:
        for replica_set in services.values():
            stack.push_async_callback(replica_set.stop)
            await replica_set.start()
        # Stripe delivers its webhooks over HTTP to one URL, balanced over the payments replicas.
        payments_url = await stack.enter_async_context(serve_in_loop(balancer_app(services["payments"])))
        fakes.stripe.add_webhook_endpoint(
            f"{payments_url}/webhooks/stripe", CREDENTIALS.stripe_webhook_secret
        )
        poller = asyncio.create_task(phones.run())
        stack.callback(poller.cancel)
        yield Stack(services, phones, fakes)


async def post_webhook(stack: Stack, payload: dict[str, Any]) -> None:
    body = encode(payload)
    response = await stack.services["conversation"].request(
        "POST",
        "/webhooks/whatsapp",
        content=body,
        headers={"X-Hub-Signature-256": sign_payload(body, CREDENTIALS.app_secret)},
    )
    assert response.status_code == 200, response.text


def answers(number: int, today: date) -> tuple[str, ...]:
    return (*ANSWERS_BEFORE_DATES, preferred_dates(number, today), INSTAGRAM, SEND_READ_BACK)


def preferred_dates(number: int, today: date) -> str:
    """Clients spread over a third of a month each in the next four months (all within the artist's
    booking horizon), so about four of them compete for each run of free days rather than all fifty."""
    part = ("early", "mid", "late")[number % 3]
    month = (today.month + 1 + (number // 3) % 4 - 1) % 12 + 1
    return f"{part} {calendar.month_name[month]}"


def client_lists(messages: list[SentMessage]) -> list[SentMessage]:
    return [message for message in messages if message.type == "interactive"]


def at_least(count: int, sent: list[SentMessage]) -> bool:
    return len(sent) >= count


def lists_at_least(count: int, sent: list[SentMessage]) -> list[SentMessage] | None:
    return sent if len(client_lists(sent)) >= count else None


async def drive(journey: Journey, stack: Stack, started: int) -> None:
    """One client from first message to booked, each step waiting for what a person would wait for."""
    client, phones = journey.client, stack.phones
    wave = journey.number * WAVES // JOURNEYS
    journey.step = f"waiting for wave {wave}"
    await journey.progress.until(lambda run: run.done >= wave * WAVE_GAP_STEPS)
    for offset, answer in enumerate(answers(journey.number, date.today())):
        journey.step = f"answer {offset + 1}/{CONSULTATION_ANSWERS}: waiting for the reply to {answer!r}"
        expected = len(phones.by_recipient[client.wa_id]) + 1
        await post_webhook(
            stack,
            text_message(
                client, answer, message_id=f"wamid.k{journey.number}.{offset}", timestamp=started + offset
            ),
        )
        await phones.wait_for(client.wa_id, partial(at_least, expected))
        await journey.advance(f"answered {offset + 1}/{CONSULTATION_ANSWERS}")

    journey.step = "waiting for the artist's summary"
    headline = re.compile(rf"New lead: {client.name}\b")
    summary: SentMessage = await phones.wait_for(
        ARTIST, lambda sent: next((m for m in sent if headline.search(text_of(m))), None)
    )
    approve = action_paths(summary)[0]  # Approve, Decline, Take over
    journey.step = "artist approving"
    conversation = stack.services["conversation"]
    assert (await conversation.request("GET", approve)).status_code == 200
    done = await conversation.request("POST", approve)
    assert done.status_code == 200, done.text
    await journey.advance("approved")

    session_id = await pick_until_held(journey, stack)
    await journey.advance("deposit link received")

    journey.step = f"paying Checkout Session {session_id}"
    await asyncio.to_thread(stack.fakes.stripe.pay_session, session_id)
    await journey.advance("paid")

    journey.step = "waiting for the booking confirmation"
    await phones.wait_for(client.wa_id, lambda sent: any("You're booked in" in text_of(m) for m in sent))
    booked = re.compile(rf"Booked: {client.name}\b")
    await phones.wait_for(ARTIST, lambda sent: any(booked.search(text_of(m)) for m in sent))
    await journey.advance("booked")


async def pick_until_held(journey: Journey, stack: Stack) -> str:
    """Tap a slot; when another client got it first, tap one of the fresh times offered instead."""
    client, phones = journey.client, stack.phones
    while True:
        offered = journey.slot_picks + 1
        journey.step = f"waiting for slot list #{offered}"
        lists = await phones.wait_for(client.wa_id, partial(lists_at_least, offered))
        rows = client_lists(lists)[offered - 1].body["action"]["sections"][0]["rows"]
        # Spread the picks so that most clients do not all race for the earliest slot.
        row = rows[(journey.number + journey.slot_picks) % len(rows)]
        journey.slot_picks += 1
        journey.step = f"picked slot {row['title']!r} (pick #{journey.slot_picks})"
        await post_webhook(
            stack,
            list_reply_message(
                client,
                row["id"],
                row["title"],
                message_id=f"wamid.k{journey.number}.pick{journey.slot_picks}",
            ),
        )

        def outcome(sent: list[SentMessage], picks: int = journey.slot_picks) -> str | None:
            for message in sent:
                link = re.search(r"/checkout/(cs_test_\w+)", text_of(message))
                if link:
                    return link.group(1)
            return "taken" if len(client_lists(sent)) > picks else None

        result: str = await phones.wait_for(client.wa_id, outcome)
        if result != "taken":
            return result


async def chaos(progress: Progress, stack: Stack, cluster: NatsCluster) -> str:
    """Once the run is well under way: SIGKILL one NATS node and crash one replica of every service."""
    await progress.until(lambda run: run.paid >= 1)
    done = progress.done
    cluster.kill(KILLED_NODE)
    await asyncio.gather(
        *(replicas.replicas[CRASHED_REPLICA].crash() for replicas in stack.services.values())
    )
    return (
        f"node n{KILLED_NODE} killed and replica {CRASHED_REPLICA} of each service crashed "
        f"at {done}/{progress.total} steps"
    )


async def run_journeys(
    journeys: list[Journey], progress: Progress, stack: Stack, cluster: NatsCluster
) -> tuple[str, list[str]]:
    """Drive every journey; return what the chaos did and a line for each journey that did not finish."""
    started = int(time.time())
    chaos_task = asyncio.create_task(chaos(progress, stack, cluster))

    tasks = {asyncio.create_task(drive(journey, stack, started)): journey for journey in journeys}
    await asyncio.wait(tasks)
    failures = [
        f"journey {journey.number} ({journey.client.wa_id}) stalled at: {journey.step} "
        f"[{type(task.exception()).__name__}: {task.exception()}]"
        for task, journey in tasks.items()
        if task.exception() is not None
    ]
    if not chaos_task.done():
        chaos_task.cancel()
        return "the chaos never started: too few journeys progressed", failures
    return chaos_task.result(), failures


async def rows(url: str, sql: str) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        result = list((await connection.execute(text(sql))).all())
    await engine.dispose()
    return result


def duplicates(texts: list[str]) -> list[str]:
    """Texts sent more than once, except the apology that legitimately repeats with each lost slot race."""
    return [body for body, count in Counter(texts).items() if count > 1 and SLOT_TAKEN not in body]


async def test_fifty_journeys_book_once_each_through_a_node_kill_and_a_replica_crash_per_service(
    migrated_database: DatabaseFactory,
    nats_cluster: NatsCluster,
    service_app: ServiceApp,
    tmp_path: Path,
) -> None:
    databases = {info.name: await migrated_database(info.migrations_dir) for info in SERVICES}
    progress = Progress()
    journeys = [
        Journey(number, Customer(wa_id=f"44770091{number:04d}", name=f"Kit{number:02d}"), progress)
        for number in range(JOURNEYS)
    ]
    with provider_fakes(tmp_path) as fakes:
        async with replicated_stack(service_app, databases, nats_cluster, fakes) as stack:
            what_happened, stalled = await run_journeys(journeys, progress, stack, nats_cluster)
            assert not stalled, f"{what_happened}; {len(stalled)} journeys did not finish:\n" + "\n".join(
                stalled
            )
            assert "killed" in what_happened, what_happened
            phones = stack.phones

    leads = await rows(databases["conversation"], "SELECT wa_id, status FROM leads")
    assert sorted(leads) == sorted((journey.client.wa_id, "booked") for journey in journeys), (
        "one booked lead per client: none lost, none doubled"
    )
    lead_ids = {row[0] for row in await rows(databases["conversation"], "SELECT id FROM leads")}

    repeated = {
        journey.client.wa_id: found
        for journey in journeys
        if (found := duplicates(phones.texts(journey.client.wa_id)))
    }
    assert not repeated, f"clients read a message twice: {repeated}"
    assert not duplicates(phones.texts(ARTIST)), "the artist read a message twice"
    for journey in journeys:
        texts = phones.texts(journey.client.wa_id)
        apologies = sum(SLOT_TAKEN in body for body in texts)
        assert len(client_lists(phones.by_recipient[journey.client.wa_id])) == apologies + 1, (
            f"{journey.client.wa_id}: one slot list, plus one per lost race"
        )

    sessions = fakes.stripe.sessions()
    sessions_per_lead = Counter(session["metadata"]["lead_id"] for session in sessions)
    assert {str(lead) for lead in lead_ids} == set(sessions_per_lead), "every lead got a Checkout Session"
    assert set(sessions_per_lead.values()) == {1}, f"one Checkout Session per lead: {sessions_per_lead}"
    completed = Counter(
        event["data"]["object"]["metadata"]["lead_id"]
        for event in fakes.stripe.events("checkout.session.completed")
    )
    assert len(completed) == JOURNEYS, "every lead paid"
    assert set(completed.values()) == {1}, f"one charge per lead: {completed}"
    assert fakes.stripe.refunds() == [], "no deposit needed refunding: none was taken for a lost slot"
    paid = await rows(databases["payments"], "SELECT lead_id FROM deposits WHERE status = 'paid'")
    assert sorted(row[0] for row in paid) == sorted(lead_ids), "one paid deposit per lead"

    bookings = await rows(
        databases["calendar"], "SELECT booking_id, lead_id FROM reservations WHERE state = 'booked'"
    )
    assert sorted(row[1] for row in bookings) == sorted(lead_ids), "one booking per lead"
    events = fakes.google.calendar.events(CREDENTIALS.calendar_id, include_cancelled=True)
    event_bookings = Counter(event["extendedProperties"]["private"]["inkline_booking_id"] for event in events)
    assert set(event_bookings) == {str(row[0]) for row in bookings}, "an event for every booking"
    assert set(event_bookings.values()) == {1}, f"one calendar event per booking: {event_bookings}"
