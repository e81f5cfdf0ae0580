"""JetStream streams: one per context, file storage, so each can be sized and replicated on its own."""

from __future__ import annotations

from dataclasses import dataclass

from inkline_contracts.subjects import ALL_SUBJECTS, DEAD_LETTER_CONTEXT, PREFIX, stream_name

DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    max_age_seconds: int
    # JetStream drops a publish whose Nats-Msg-Id it saw within this window; the outbox relay relies on it
    # when it republishes after a crash. Consumers' inboxes cover anything older.
    duplicate_window_seconds: int = 120


def _contexts() -> list[str]:
    seen: list[str] = []
    for subject in ALL_SUBJECTS:
        if subject.context not in seen:
            seen.append(subject.context)
    return seen


def stream_specs() -> list[StreamSpec]:
    """Every stream Inkline needs; services declare them idempotently at start-up."""
    specs = [
        StreamSpec(name=stream_name(ctx), subjects=(f"{PREFIX}.{ctx}.>",), max_age_seconds=30 * DAY_SECONDS)
        for ctx in _contexts()
    ]
    specs.append(
        StreamSpec(
            name=stream_name(DEAD_LETTER_CONTEXT),
            subjects=(f"{PREFIX}.{DEAD_LETTER_CONTEXT}.>",),
            max_age_seconds=90 * DAY_SECONDS,
        )
    )
    return specs
