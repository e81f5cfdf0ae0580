"""In-memory, thread-safe state of the Graph fake: what was sent, what to fail next, which media exist.

Tests (and the sandbox hub) hold the `GraphState`, script failures on it, and inspect what the services sent.
The FastAPI app only ever calls `authorize`, `send`, `upload_media`, `media`, `stall_generation` and
`record_abandoned`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from inkline_sandbox.graph.errors import GraphErrorSpec, GraphRequestError, error_body, spec_body, spec_for
from inkline_sandbox.graph.records import MediaItem, SendAttempt, SendOutcome, SentMessage, new_wamid
from inkline_sandbox.graph.templates import TemplateRegistry
from inkline_sandbox.graph.validation import MEDIA_TYPES, is_bsuid, recipient_of, recipient_wa_id

Delivery = Literal["response", "webhook"]


@dataclass
class _Script:
    remaining: int
    wa_id: str | None
    spec: GraphErrorSpec | None = None
    delivery: Delivery = "response"
    stall_seconds: float = 0.0

    def matches(self, wa_id: str) -> bool:
        return self.remaining > 0 and (self.wa_id is None or self.wa_id == wa_id)


@dataclass
class _Store:
    messages: list[SentMessage] = field(default_factory=list)
    attempts: list[SendAttempt] = field(default_factory=list)
    scripts: list[_Script] = field(default_factory=list)
    media_failures: list[GraphErrorSpec] = field(default_factory=list)
    media: dict[str, MediaItem] = field(default_factory=dict)
    delivered: dict[str, list[str]] = field(default_factory=dict)
    abandoned: list[str] = field(default_factory=list)


class GraphState:
    def __init__(
        self,
        *,
        # A well-known fake credential, not a secret: the sandbox exists to run without real ones.
        access_token: str = "sandbox-token",  # noqa: S107
        phone_number_ids: Collection[str] | None = None,
        display_phone_number: str = "15550001234",
        waba_id: str = "102290129340398",
        clock: Callable[[], float] = time.time,
        templates: TemplateRegistry | None = None,
    ) -> None:
        self.access_token = access_token
        # Which template translations the account has approved; tests register their own names here.
        self.templates = templates if templates is not None else TemplateRegistry()
        self.phone_number_ids = frozenset(phone_number_ids) if phone_number_ids is not None else None
        self.display_phone_number = display_phone_number
        self.waba_id = waba_id
        self.clock = clock
        self._lock = threading.RLock()
        self._store = _Store()
        self._stall_generation = 0

    # -- scripting ---------------------------------------------------------------------------------

    def fail_next(
        self,
        code: int,
        *,
        times: int = 1,
        to: str | None = None,
        http_status: int | None = None,
        delivery: Delivery = "response",
    ) -> None:
        """Make the next `times` sends (to `to`, or to anyone) fail with Cloud API error `code`.

        `delivery="response"` answers the send with the Graph error (HTTP status from `KNOWN_ERRORS`
        unless given). `delivery="webhook"` accepts the send, and `deliver_statuses` later reports the
        message as `failed` with this error: how Meta reports e.g. 131047/131026 after a 200.
        """
        spec = spec_for(code, http_status=http_status)
        script = _Script(times, _wa_id_or_none(to), spec=spec, delivery=delivery)
        with self._lock:
            self._store.scripts.append(script)

    def stall_next(self, *, seconds: float = 30.0, times: int = 1, to: str | None = None) -> None:
        """Accept and record the next sends but hold the 200 back for `seconds` (beyond a client timeout).

        Reproduces the resend window: the message went out, the caller never learned its wamid, and its
        status callbacks (`deliver_statuses`, carrying the send's `biz_opaque_callback_data`) still come.
        A stalled response ends early when the client disconnects (see `abandoned`) or `release_stalled()`
        is called.
        """
        with self._lock:
            self._store.scripts.append(_Script(times, _wa_id_or_none(to), stall_seconds=seconds))

    def release_stalled(self) -> None:
        with self._lock:
            self._stall_generation += 1

    def stall_generation(self) -> int:
        with self._lock:
            return self._stall_generation

    def clear(self) -> None:
        """Forget messages, attempts, scripts and webhook bookkeeping (registered media stay)."""
        with self._lock:
            media = self._store.media
            self._store = _Store(media=media)
            self._stall_generation += 1

    # -- inspection --------------------------------------------------------------------------------

    def messages(self, to: str | None = None) -> list[SentMessage]:
        wa_id = _wa_id_or_none(to)
        with self._lock:
            return [m for m in self._store.messages if wa_id is None or m.wa_id == wa_id]

    def last_message(self, to: str | None = None) -> SentMessage:
        sent = self.messages(to)
        if not sent:
            raise LookupError(f"no message was sent{f' to {to}' if to else ''}")
        return sent[-1]

    def message(self, wamid: str) -> SentMessage:
        with self._lock:
            for sent in self._store.messages:
                if sent.wamid == wamid:
                    return sent
        raise LookupError(f"no message {wamid}")

    def abandoned(self, to: str | None = None) -> list[SentMessage]:
        """Accepted messages whose held-back answer the client stopped waiting for (timed out)."""
        with self._lock:
            wamids = set(self._store.abandoned)
        return [m for m in self.messages(to) if m.wamid in wamids]

    def attempts(self, to: str | None = None) -> list[SendAttempt]:
        wa_id = _wa_id_or_none(to)
        with self._lock:
            return [a for a in self._store.attempts if wa_id is None or recipient_wa_id(a.to) == wa_id]

    # -- media -------------------------------------------------------------------------------------

    def add_media(self, content: bytes, mime_type: str, *, media_id: str | None = None) -> MediaItem:
        """Media someone sent the business (its id comes in a webhook): downloadable, not sendable by id."""
        item = MediaItem(media_id or _new_media_id(), content, mime_type)
        with self._lock:
            self._store.media[item.media_id] = item
        return item

    def upload_media(self, phone_number_id: str, content: bytes, mime_type: str) -> MediaItem:
        """Media the business uploaded: its id can be sent from that number (used by the app)."""
        item = MediaItem(_new_media_id(), content, mime_type, uploaded_by=phone_number_id)
        with self._lock:
            self._store.media[item.media_id] = item
        return item

    def uploads(self) -> list[MediaItem]:
        with self._lock:
            return [item for item in self._store.media.values() if item.uploaded_by is not None]

    def fail_media_next(self, code: int, *, times: int = 1, http_status: int | None = None) -> None:
        """Make the next `times` media URL lookups (`GET /{media_id}`) fail with Cloud API error `code`."""
        spec = spec_for(code, http_status=http_status)
        with self._lock:
            self._store.media_failures.extend([spec] * times)

    def take_media_failure(self) -> GraphErrorSpec | None:
        """The scripted failure for this media URL lookup, if any (used by the app)."""
        with self._lock:
            return self._store.media_failures.pop(0) if self._store.media_failures else None

    def media(self, media_id: str) -> MediaItem | None:
        with self._lock:
            return self._store.media.get(media_id)

    # -- webhook bookkeeping -----------------------------------------------------------------------

    def record_abandoned(self, wamid: str) -> None:
        with self._lock:
            self._store.abandoned.append(wamid)

    def record_status_delivered(self, wamid: str, status: str) -> None:
        with self._lock:
            self._store.delivered.setdefault(wamid, []).append(status)

    def delivered_statuses(self, wamid: str) -> list[str]:
        with self._lock:
            return list(self._store.delivered.get(wamid, []))

    # -- used by the app ---------------------------------------------------------------------------

    def authorize(self, token: str | None) -> bool:
        # As bytes: compare_digest raises TypeError on non-ASCII text, which a header or query can carry.
        return token is not None and secrets.compare_digest(
            token.encode("utf-8", "surrogatepass"), self.access_token.encode()
        )

    def knows_phone_number(self, phone_number_id: str) -> bool:
        return self.phone_number_ids is None or phone_number_id in self.phone_number_ids

    def send(self, phone_number_id: str, payload: dict[str, Any]) -> SendOutcome:
        """Apply scripted behaviour to an already-validated message and record what happened."""
        to = recipient_of(payload)
        kind: str = payload.get("type", "text")
        wa_id = recipient_wa_id(to)
        now = self.clock()
        with self._lock:
            if kind == "template":
                template = payload["template"]
                try:
                    self.templates.check(template["name"], template["language"]["code"])
                except GraphRequestError as exc:
                    code = exc.body["error"]["code"]
                    self._store.attempts.append(SendAttempt(to, kind, "rejected", exc.http_status, code, now))
                    return SendOutcome(exc.http_status, exc.body)
            refused = self._unsendable_media(phone_number_id, kind, payload.get(kind))
            if refused is not None:
                code = refused.body["error"]["code"]
                self._store.attempts.append(SendAttempt(to, kind, "rejected", refused.http_status, code, now))
                return SendOutcome(refused.http_status, refused.body)
            script = next((s for s in self._store.scripts if s.matches(wa_id)), None)
            if script is not None:
                script.remaining -= 1
                self._store.scripts = [s for s in self._store.scripts if s.remaining > 0]
            if script is not None and script.spec is not None and script.delivery == "response":
                spec = script.spec
                self._store.attempts.append(
                    SendAttempt(to, kind, "rejected", spec.http_status, spec.code, now)
                )
                return SendOutcome(spec.http_status, spec_body(spec))
            fails_with = script.spec.code if script is not None and script.spec is not None else None
            sent = SentMessage(
                wamid=new_wamid(),
                phone_number_id=phone_number_id,
                to=to,
                wa_id=wa_id,
                type=kind,
                body=payload.get(kind),
                payload=payload,
                sent_at=now,
                fails_with=fails_with,
            )
            self._store.messages.append(sent)
            stall = script.stall_seconds if script is not None else 0.0
            outcome: Literal["accepted", "stalled"] = "stalled" if stall > 0 else "accepted"
            self._store.attempts.append(SendAttempt(to, kind, outcome, 200, None, now))
            generation = self._stall_generation
        message: dict[str, Any] = {"id": sent.wamid}
        if kind == "template":
            message["message_status"] = "accepted"
        body = {
            "messaging_product": "whatsapp",
            # A send to a BSUID is answered with the `user_id`, without the phone (Meta's response change).
            "contacts": [{"input": to, "user_id" if is_bsuid(wa_id) else "wa_id": wa_id}],
            "messages": [message],
        }
        return SendOutcome(200, body, stall_seconds=stall, stall_generation=generation)

    def _unsendable_media(self, phone_number_id: str, kind: str, body: Any) -> GraphRequestError | None:
        """A media message by an id this number never uploaded: Meta only sends media by the id of an upload
        (or by `link`); an id from a webhook is for downloading."""
        if kind not in MEDIA_TYPES or not isinstance(body, dict) or not body.get("id"):
            return None
        item = self._store.media.get(str(body["id"]))
        if item is not None and item.uploaded_by == phone_number_id:
            return None
        details = f"Param {kind}['id'] is not a valid whatsapp business account media attachment ID"
        return GraphRequestError(400, error_body(100, "(#100) Invalid parameter", details=details))


def _new_media_id() -> str:
    return str(secrets.randbelow(10**15) + 10**15)


def _wa_id_or_none(to: str | None) -> str | None:
    return None if to is None else recipient_wa_id(to)
