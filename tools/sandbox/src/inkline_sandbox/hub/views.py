"""What the page shows, computed from the fakes' state: chat bubbles, the artist's phone, calendar, sheet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from inkline_sandbox.graph import SentMessage
from inkline_sandbox.hub.hub import Hub, Option, options_of
from inkline_sandbox.stripe.objects import format_amount
from inkline_sandbox.stripe.sessions import LineItem

_URL = re.compile(r"https?://[^\s<>\"']+")
# How a phone shows a picture, voice note, video or document the page cannot play: an icon and its caption.
_MEDIA_ICONS = {"image": "📷", "audio": "🎤", "video": "🎬", "document": "📄"}
# WhatsApp's bold: *words* on one line.
_BOLD = re.compile(r"\*([^*\n]+)\*")


def linkify(text: str) -> Markup:
    """Escape, keep line breaks, show WhatsApp's *bold*, and make every URL a link that opens beside the chat."""
    escaped = str(escape(text))
    linked = _URL.sub(
        lambda m: f'<a href="{m.group(0)}" target="_blank" rel="noopener">{m.group(0)}</a>', escaped
    )
    bold = _BOLD.sub(r"<b>\1</b>", linked)
    return Markup(bold.replace("\n", "<br>"))  # noqa: S704 - built from escaped text only


def template_text(body: dict[str, Any]) -> str:
    """A template message as the person reads it: our templates carry the original text as parameters."""
    return "\n".join(
        str(parameter.get("text", ""))
        for component in body.get("components", [])
        for parameter in component.get("parameters", [])
        if parameter.get("type") == "text"
    )


@dataclass(frozen=True)
class Bubble:
    direction: str  # "in": the person on the page wrote it; "out": Inkline sent it
    html: Markup
    at: float
    wamid: str
    header: str | None = None
    footer: str | None = None
    template: str | None = None
    options: list[Option] = field(default_factory=list)
    list_label: str | None = None
    link: tuple[str, str] | None = None  # (label, url) of a call-to-action button
    status: str | None = None
    quote: Markup | None = None  # the earlier message of the chat this one quotes (a contextual reply)

    @property
    def time(self) -> str:
        return datetime.fromtimestamp(self.at).strftime("%H:%M")


def outbound_bubble(hub: Hub, message: SentMessage) -> Bubble:
    body = message.body if isinstance(message.body, dict) else {}
    delivered = hub.graph.delivered_statuses(message.wamid)
    status = next((s for s in ("failed", "read", "delivered", "sent") if s in delivered), None)
    if message.type == "template":
        return Bubble(
            "out",
            linkify(template_text(body)),
            message.sent_at,
            message.wamid,
            template=str(body.get("name", "")),
            options=options_of(message),
            status=status,
        )
    if message.type in _MEDIA_ICONS:
        shown = f"{_MEDIA_ICONS[message.type]} {message.text or ''}".strip()
        return Bubble("out", linkify(shown), message.sent_at, message.wamid, status=status)
    if message.type != "interactive":
        return Bubble(
            "out", linkify(message.text or f"[{message.type}]"), message.sent_at, message.wamid, status=status
        )
    header = body.get("header", {})
    action = body.get("action", {})
    link = None
    if body.get("type") == "cta_url":
        parameters = action.get("parameters", {})
        link = (str(parameters.get("display_text", "Open")), str(parameters.get("url", "")))
    return Bubble(
        "out",
        linkify(message.text or ""),
        message.sent_at,
        message.wamid,
        header=header.get("text") if isinstance(header, dict) else None,
        footer=body.get("footer", {}).get("text"),
        options=options_of(message),
        list_label=action.get("button") if body.get("type") == "list" else None,
        link=link,
        status=status,
    )


def chat(hub: Hub, wa_id: str) -> list[Bubble]:
    inbound = [Bubble("in", linkify(m.text), m.sent_at, m.wamid) for m in hub.chat.messages(wa_id)]
    sent = hub.graph.messages(to=wa_id)
    outbound = [outbound_bubble(hub, m) for m in sent]
    # A contextual reply shows the message it quotes above it, as the phone does, when it is in this chat.
    said = {bubble.wamid: bubble.html for bubble in inbound + outbound}
    quoted = {m.wamid: said.get(m.reply_to) for m in sent if m.reply_to}
    outbound = [replace(b, quote=quoted[b.wamid]) if quoted.get(b.wamid) else b for b in outbound]
    return sorted(inbound + outbound, key=lambda bubble: bubble.at)


def artist_phone(hub: Hub) -> list[Bubble]:
    """What Inkline sent the artist, and what the artist wrote or tapped back."""
    return chat(hub, hub.config.artist_number)


def clients(hub: Hub) -> list[tuple[str, str, str]]:
    """(number, name, language) of everyone who wrote from the page, or whom Inkline wrote to, except the
    artist; the language is "" until the artist's sheet shows one."""
    numbers = dict.fromkeys(n for n in hub.chat.numbers() if n != hub.config.artist_number)
    for message in hub.graph.messages():
        if message.wa_id != hub.config.artist_number:
            numbers.setdefault(message.wa_id)
    languages = client_languages(hub)
    return [(number, hub.chat.name_of(number) or "", languages.get(number, "")) for number in numbers]


def client_languages(hub: Hub) -> dict[str, str]:
    """Number -> the language Inkline answers that client in, as the artist's Leads sheet shows it.

    The providers' side carries no language for free-form messages, and the hub must not ask a service:
    the sheet is where the artist reads it too. A client's latest lead wins; a client known only by user
    ID is masked in the sheet and cannot be matched.
    """
    book = hub.config.spreadsheet_id
    if "Leads" not in hub.google.sheets.worksheet_titles(book):
        return {}
    values = hub.google.sheets.worksheet_values(book, "Leads")
    if not values or "phone" not in values[0] or "language" not in values[0]:
        return {}
    header, *rows = values
    phone_at, language_at = header.index("phone"), header.index("language")
    found: dict[str, str] = {}
    for row in rows:
        # "+44 7700 900123 (@sam)": the number's digits are the client's WhatsApp id; a masked user ID
        # ("GB.…41") or a bare username names no number.
        if len(row) > max(phone_at, language_at) and row[language_at] and row[phone_at].startswith("+"):
            number = "".join(ch for ch in row[phone_at].split("(", 1)[0] if ch.isdigit())
            found[number] = row[language_at]
    return found


@dataclass(frozen=True)
class CalendarEntry:
    summary: str
    start: str
    end: str
    description: str


@dataclass(frozen=True)
class Hold:
    description: str
    amount: str
    expires_at: int
    url: str | None


def _when(value: dict[str, Any]) -> str:
    """An event time as Google Calendar shows it: on the clock of the event's own time zone."""
    raw = value.get("dateTime") or value.get("date") or ""
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return str(raw)
    try:
        zone = ZoneInfo(str(value["timeZone"])) if value.get("timeZone") else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    if zone is not None and moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%a %d %b %Y %H:%M %Z").strip()


def _line(item: LineItem) -> str:
    """A Checkout line as the customer reads it: the product, then what it is for."""
    return f"{item.name} · {item.description}" if item.description else item.name


def calendar_events(hub: Hub) -> list[CalendarEntry]:
    events = sorted(
        hub.google.calendar.events(hub.config.calendar_id),
        key=lambda e: str(e.get("start", {}).get("dateTime") or e.get("start", {}).get("date") or ""),
    )
    return [
        CalendarEntry(
            summary=str(e.get("summary", "(no title)")),
            start=_when(e.get("start", {})),
            end=_when(e.get("end", {})),
            description=str(e.get("description", "")),
        )
        for e in events
    ]


def holds(hub: Hub) -> list[Hold]:
    """Slots held for a deposit: each hold's Checkout Session is open until the hold lapses."""
    open_sessions = [s for s in hub.stripe.sessions() if s["status"] == "open"]
    return [
        Hold(
            description=", ".join(_line(item) for item in hub.stripe.line_items(s["id"])),
            amount=format_amount(s["amount_total"], s["currency"]),
            expires_at=int(s["expires_at"]),
            url=s.get("url"),
        )
        for s in open_sessions
    ]


def paid_deposits(hub: Hub) -> list[str]:
    return [
        f"{format_amount(s['amount_total'], s['currency'])} · "
        + ", ".join(_line(item) for item in hub.stripe.line_items(s["id"]))
        for s in hub.stripe.sessions()
        if s["status"] == "complete"
    ]


@dataclass(frozen=True)
class Worksheet:
    title: str
    rows: list[list[str]]


def sheets(hub: Hub) -> list[Worksheet]:
    book = hub.config.spreadsheet_id
    found = []
    for title in hub.google.sheets.worksheet_titles(book):
        rows = hub.google.sheets.worksheet_values(book, title)
        if rows:
            found.append(Worksheet(title, rows))
    return found
