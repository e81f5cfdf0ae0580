"""Delivery status of a sent message: it only moves forward (sent → delivered → read), or fails."""

from __future__ import annotations

from enum import StrEnum


class Delivery(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


_RANK = {Delivery.QUEUED: 0, Delivery.SENT: 1, Delivery.DELIVERED: 2, Delivery.READ: 3}


def advance(current: Delivery, reported: Delivery) -> list[Delivery]:
    """The statuses `reported` moves a message through, in order; empty when it would move it back.

    Meta's callbacks arrive out of order: a `read` may come before its `delivered`, which it implies, so
    both are returned and the late `delivered` later changes nothing. A failure is final and only possible
    before delivery.
    """
    if current is Delivery.FAILED or reported is Delivery.QUEUED:
        return []
    if reported is Delivery.FAILED:
        return [Delivery.FAILED] if _RANK[current] < _RANK[Delivery.DELIVERED] else []
    return [status for status, rank in _RANK.items() if _RANK[current] < rank <= _RANK[reported]]
