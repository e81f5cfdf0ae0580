"""Marketing takes the whole send rate when nobody is being answered, and only its share while people are."""

from __future__ import annotations

import asyncio

from inkline_notifier.domain.shared_rate import SharedRate

RATE = 80.0
SHARE = 0.25
SECONDS = 10.0


class VirtualTime:
    """A clock that sleeping advances, so seconds of sending take no real time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def _marketing_sent_in(rate: SharedRate, time: VirtualTime, *, replies_every: float | None) -> int:
    """How many marketing sends pass in `SECONDS`, with a reply sent every `replies_every` seconds."""
    end = time.now + SECONDS
    next_reply = time.now
    sent = 0
    while time.now < end:
        if replies_every is not None and time.now >= next_reply:
            await rate.replies.acquire()
            next_reply += replies_every
        await rate.marketing.acquire()
        sent += 1
    return sent


async def test_marketing_uses_the_whole_rate_while_nobody_is_answered() -> None:
    time = VirtualTime()
    rate = SharedRate(RATE, marketing_share=SHARE, clock=time, sleep=time.sleep)

    sent = await _marketing_sent_in(rate, time, replies_every=None)

    assert sent >= RATE * SECONDS * 0.95


async def test_marketing_leaves_the_tokens_replies_take_and_uses_the_rest() -> None:
    time = VirtualTime()
    rate = SharedRate(RATE, marketing_share=SHARE, clock=time, sleep=time.sleep)

    sent = await _marketing_sent_in(rate, time, replies_every=0.1)

    replies = SECONDS / 0.1
    assert RATE * SECONDS - replies - RATE * SHARE <= sent <= RATE * SECONDS - replies + RATE / 10


async def test_marketing_keeps_to_its_share_only_while_a_reply_waits_for_a_token() -> None:
    time = VirtualTime()
    gate = asyncio.Event()

    async def sleep_until_released(seconds: float) -> None:
        await gate.wait()
        time.now += seconds

    rate = SharedRate(RATE, marketing_share=SHARE, clock=time, sleep=sleep_until_released)
    while not rate.replies_waiting():
        reply = asyncio.create_task(rate.replies.acquire())
        await asyncio.sleep(0)
    assert not reply.done(), "the burst is spent: this reply waits for its token"

    gate.set()
    await reply

    assert not rate.replies_waiting()
