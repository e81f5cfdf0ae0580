"""What the people on the page said: the client messages the hub delivered to conversation as webhooks.

The Graph fake records what Inkline sent; this records the other direction, so a chat reads both ways.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class InboundMessage:
    wamid: str
    wa_id: str
    name: str
    text: str
    sent_at: float


@dataclass
class ChatLog:
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _messages: list[InboundMessage] = field(default_factory=list, repr=False)
    _names: dict[str, str] = field(default_factory=dict, repr=False)

    def record(self, *, wamid: str, wa_id: str, name: str, text: str, sent_at: float) -> InboundMessage:
        message = InboundMessage(wamid, wa_id, name, text, sent_at)
        with self._lock:
            self._messages.append(message)
            self._names[wa_id] = name
        return message

    def messages(self, wa_id: str) -> list[InboundMessage]:
        with self._lock:
            return [m for m in self._messages if m.wa_id == wa_id]

    def name_of(self, wa_id: str) -> str | None:
        with self._lock:
            return self._names.get(wa_id)

    def numbers(self) -> list[str]:
        with self._lock:
            return list(self._names)
