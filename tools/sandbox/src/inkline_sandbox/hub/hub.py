"""The hub's state and the two things a person on the page does: write as a client, and tap an option.

It holds the three provider fakes the services talk to (Graph, Stripe, Google) and the chat log of what
the page's clients said. Client messages reach conversation as Meta would send them: a `messages` webhook
signed with the app secret. Messages the notifier sent get Meta's status callbacks the same way.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.graph import GraphState, SentMessage
from inkline_sandbox.graph.records import new_wamid
from inkline_sandbox.graph.validation import is_bsuid
from inkline_sandbox.graph.webhooks import (
    Customer,
    StatusDelivery,
    button_reply_message,
    deliver_statuses,
    image_message,
    list_reply_message,
    post_webhook,
    quick_reply_message,
    text_message,
)
from inkline_sandbox.hub.chat import ChatLog, InboundMessage
from inkline_sandbox.hub.config import HubConfig
from inkline_sandbox.hub.keys import trust_service_account, write_service_account
from inkline_sandbox.stripe import StripeState

log = logging.getLogger("inkline_sandbox.hub")

MAX_TEXT = 4096
MAX_CAPTION = 1024
# The photo the artist's phone sends from the page: a 1x1 PNG, enough for the fake to hold and serve.
SAMPLE_PICTURE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# The quick-reply buttons of the templates "approved" in this sandbox (at Meta they are part of the template,
# so a send carries only their payloads): what the artist's phone shows on each.
APPROVED_QUICK_REPLIES: dict[str, tuple[str, ...]] = {
    "inkline_artist_lead_decision": ("Approve", "Decline", "Take over"),
    "inkline_artist_lead_decision_short": ("Approve", "Decline"),
    "inkline_artist_chat_handover": ("Hand back", "Approve", "Decline"),
}


class HubInputError(ValueError):
    """What the page asked for cannot be sent; the message says why, in words for the person."""


class DeliveryError(RuntimeError):
    """Conversation did not accept the webhook (not running, or refused it)."""


@dataclass(frozen=True)
class Option:
    """A reply button or list row a message offered."""

    option_id: str
    title: str
    description: str | None
    kind: str  # "button", "list" or "quick_reply" (a template's)


def options_of(message: SentMessage) -> list[Option]:
    if message.type == "template" and isinstance(message.body, dict):
        return _quick_replies(message.body)
    if message.type != "interactive" or not isinstance(message.body, dict):
        return []
    action = message.body.get("action", {})
    if message.body.get("type") == "button":
        return [
            Option(b["reply"]["id"], b["reply"]["title"], None, "button") for b in action.get("buttons", [])
        ]
    if message.body.get("type") == "list":
        return [
            Option(row["id"], row["title"], row.get("description"), "list")
            for section in action.get("sections", [])
            for row in section.get("rows", [])
        ]
    return []


def _quick_replies(template: dict[str, Any]) -> list[Option]:
    titles = APPROVED_QUICK_REPLIES.get(str(template.get("name")), ())
    payloads = [
        str(parameter.get("payload"))
        for component in template.get("components", [])
        if component.get("sub_type") == "quick_reply"
        for parameter in component.get("parameters", [])
    ]
    return [
        Option(payload, titles[index] if index < len(titles) else f"Button {index + 1}", None, "quick_reply")
        for index, payload in enumerate(payloads)
    ]


def valid_number(wa_id: str) -> str:
    """A phone number's digits, or a business-scoped user ID as it is: the page plays a client who hides
    their number behind a username by their BSUID (e.g. GB.13491208655302741918)."""
    if is_bsuid(wa_id.strip()):
        return wa_id.strip()
    digits = wa_id.strip().lstrip("+").replace(" ", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise HubInputError(
            "A WhatsApp number is 7 to 15 digits, country code first, e.g. 447700900123; "
            "a client with a username and no number is a user ID such as GB.13491208655302741918."
        )
    return digits


class Hub:
    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self.graph = GraphState(
            access_token=config.graph_access_token, display_phone_number=config.business_number
        )
        self.stripe = StripeState(api_key=config.stripe_api_key)
        self.stripe.add_webhook_endpoint(config.stripe_webhook_url, config.stripe_webhook_secret)
        self.google = GoogleSandbox()
        self.google.sheets.create_spreadsheet(config.spreadsheet_id, title="Inkline leads")
        self.google.calendar.add_calendar(config.calendar_id)
        self.chat = ChatLog()

    def serve_at(self, hub_url: str, *, trusted_key: Path | None = None) -> None:
        """Learn the hub's own URL: for checkout links, and the key calendar and notifier sign in with
        (a fresh one in the data directory, or `trusted_key`, a key file the deployment shares)."""
        # Stripe's fake builds links from the request's base URL, which under a mount lacks the prefix.
        self.stripe.public_base_url = f"{hub_url}/stripe"
        if trusted_key is not None:
            trust_service_account(trusted_key, oauth=self.google.oauth)
            return
        write_service_account(
            self.config.service_account_file, token_uri=f"{hub_url}/google/token", oauth=self.google.oauth
        )

    def close(self) -> None:
        self.stripe.close()

    async def say(
        self, client: httpx.AsyncClient, *, wa_id: str, name: str, text: str, username: str = ""
    ) -> InboundMessage:
        """The client with number (or BSUID) `wa_id` writes `text` to the artist's business number."""
        number = valid_number(wa_id)
        body = text.strip()
        if not body:
            raise HubInputError("Type a message first.")
        if len(body) > MAX_TEXT:
            raise HubInputError(f"WhatsApp text messages are at most {MAX_TEXT} characters.")
        customer = self._customer(number, name, username)
        wamid, at = new_wamid(), time.time()
        await self._post(client, text_message(customer, body, message_id=wamid, timestamp=int(at)))
        return self.chat.record(wamid=wamid, wa_id=number, name=customer.name, text=body, sent_at=at)

    async def tap(
        self,
        client: httpx.AsyncClient,
        *,
        wa_id: str,
        name: str,
        reply_to: str,
        option_id: str,
        username: str = "",
    ) -> InboundMessage:
        """The client taps a reply button or list row of the message `reply_to`."""
        number = valid_number(wa_id)
        return await self._tap(
            client, Customer(wa_id=number, name=self._name(number, name)), reply_to, option_id
        )

    async def artist_tap(self, client: httpx.AsyncClient, *, reply_to: str, option_id: str) -> InboundMessage:
        """The artist taps a button (or a template's quick reply) of the message `reply_to`."""
        return await self._tap(client, self._artist(), reply_to, option_id)

    async def artist_say(
        self, client: httpx.AsyncClient, *, text: str, reply_to: str | None = None, picture: bool = False
    ) -> InboundMessage:
        """The artist writes to the business number; `reply_to` quotes a message (a swipe-reply).

        With `picture` they send a photo (a sample the Graph fake holds, as Meta holds what people send)
        and `text` is its caption, which may be empty."""
        body = text.strip()
        if not body and not picture:
            raise HubInputError("Type a message first.")
        limit = MAX_CAPTION if picture else MAX_TEXT
        if len(body) > limit:
            raise HubInputError(f"WhatsApp allows at most {limit} characters here.")
        artist = self._artist()
        if reply_to is not None:
            self._offered_to(reply_to, artist.wa_id)
        wamid, at = new_wamid(), time.time()
        common: dict[str, Any] = {"message_id": wamid, "timestamp": int(at), "reply_to": reply_to}
        if picture:
            media = self.graph.add_media(SAMPLE_PICTURE, "image/png")
            payload = image_message(
                artist,
                media.media_id,
                content=SAMPLE_PICTURE,
                mime_type="image/png",
                caption=body or None,
                **common,
            )
            shown = f"📷 {body}".strip()
        else:
            payload, shown = text_message(artist, body, **common), body
        await self._post(client, payload)
        return self.chat.record(wamid=wamid, wa_id=artist.wa_id, name=artist.name, text=shown, sent_at=at)

    def _artist(self) -> Customer:
        return Customer(wa_id=self.config.artist_number, name="Artist")

    def _offered_to(self, wamid: str, number: str) -> SentMessage:
        try:
            offered = self.graph.message(wamid)
        except LookupError:
            raise HubInputError("That message is not in this chat.") from None
        if offered.wa_id != number:
            raise HubInputError("That message was sent to another number.")
        return offered

    async def _tap(
        self, client: httpx.AsyncClient, customer: Customer, reply_to: str, option_id: str
    ) -> InboundMessage:
        offered = self._offered_to(reply_to, customer.wa_id)
        option = next((o for o in options_of(offered) if o.option_id == option_id), None)
        if option is None:
            raise HubInputError("That option is not on the message.")
        # Stamped before posting: the answer may be recorded before the webhook call returns.
        wamid, at = new_wamid(), time.time()
        common: dict[str, Any] = {"reply_to": reply_to, "message_id": wamid, "timestamp": int(at)}
        payload: dict[str, Any]
        if option.kind == "button":
            payload = button_reply_message(customer, option.option_id, option.title, **common)
        elif option.kind == "quick_reply":
            payload = quick_reply_message(customer, option.option_id, option.title, **common)
        else:
            payload = list_reply_message(
                customer, option.option_id, option.title, description=option.description, **common
            )
        await self._post(client, payload)
        return self.chat.record(
            wamid=wamid, wa_id=customer.wa_id, name=customer.name, text=option.title, sent_at=at
        )

    async def deliver_statuses(self, client: httpx.AsyncClient) -> list[StatusDelivery]:
        """Meta's sent/delivered/read callbacks for every message not yet reported; idempotent."""
        return await deliver_statuses(
            self.graph, self.config.whatsapp_webhook_url, app_secret=self.config.app_secret, client=client
        )

    def _customer(self, number: str, name: str, username: str) -> Customer:
        # A username only shows on a client who hides their number (a BSUID): Meta omits the phone then.
        handle = username.strip().lstrip("@")[:35] if is_bsuid(number) else ""
        return Customer(wa_id=number, name=self._name(number, name), username=handle or None)

    def _name(self, wa_id: str, name: str) -> str:
        chosen = name.strip()[:60]
        return chosen or self.chat.name_of(wa_id) or "Sandbox client"

    async def _post(self, client: httpx.AsyncClient, payload: dict[str, Any]) -> None:
        url = self.config.whatsapp_webhook_url
        try:
            response = await post_webhook(url, payload, app_secret=self.config.app_secret, client=client)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"conversation is not answering at {url}: {exc}") from exc
        if not response.is_success:
            raise DeliveryError(f"conversation refused the message ({response.status_code}): {response.text}")
