"""A client's messages, handled in the order they were sent, whatever order they were delivered in.

The consult handler does not process "its" message: it processes every message of the lead not yet
processed, oldest first, under the lead's row lock. A late delivery of an older message is therefore
handled before a newer one, a redelivery finds nothing left to do, and a burst is answered once.
Each message then goes to journey/router.py, which picks its step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from inkline_conversation.db.models import InboundMessage
from inkline_conversation.domain.consultation_events import SilentMessage
from inkline_conversation.domain.intents import detect_intents
from inkline_conversation.journey.artist_relay import send_held
from inkline_conversation.journey.inbound_messages import ClientMessage, inbound_of
from inkline_conversation.journey.repositories import Pending
from inkline_conversation.journey.router import on_client_message
from inkline_conversation.journey.turn import SUPERSEDED_PURPOSES, LeadTurn

FLOOD_WINDOW = timedelta(minutes=1)


async def waiting(turn: LeadTurn) -> Pending:
    """The lead's unprocessed messages, and how many arrived within the flood window (one statement)."""
    return await turn.repos.inbound.pending(turn.lead.id, received_since=turn.now - FLOOD_WINDOW)


def is_flooding(turn: LeadTurn, pending: Pending) -> bool:
    """More messages in the last minute than a person types: defer them to the catch-up pass."""
    return pending.received_lately > turn.config.settings.flood_messages_per_minute


async def process_pending(turn: LeadTurn, rows: Sequence[InboundMessage] | None = None) -> int:
    """Handle every unprocessed message of the lead (`rows` when the caller read them already in this
    transaction), oldest first; replies superseded within the batch are dropped."""
    if rows is None:
        rows = await turn.repos.inbound.unprocessed(turn.lead.id)
    if not rows:
        return 0
    turn.start_buffering()
    send_held(turn)  # the client wrote: what the artist sent while their window was closed goes first
    for row in rows:
        row.processed_at = turn.now
        if turn.lead.last_inbound_at is None or row.sent_at > turn.lead.last_inbound_at:
            turn.lead.last_inbound_at = row.sent_at
        inbound = inbound_of(row)
        intents = detect_intents(row.text or "", opt_out_words=turn.config.consultation.opt_out_words)
        if not isinstance(inbound, SilentMessage):
            # A 👍 answers nothing: the question it followed still stands, and still goes out.
            turn.lead.reminders_sent = 0
            turn.drop_buffered(SUPERSEDED_PURPOSES)
        await on_client_message(turn, ClientMessage(row=row, inbound=inbound, intents=intents))
    turn.flush_buffer()
    turn.lead.updated_at = turn.now
    return len(rows)
