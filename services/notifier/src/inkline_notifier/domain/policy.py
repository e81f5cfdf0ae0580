"""Meta's sending rules: the 24-hour customer service window, templates outside it, consent for marketing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from inkline_contracts.base import is_phone
from inkline_contracts.events.notify import (
    TEMPLATE_PARAMETER_MAX_LENGTH,
    ButtonsContent,
    Category,
    Content,
    ListContent,
    TemplateContent,
    TextContent,
)
from inkline_contracts.languages import template_language
from inkline_contracts.text import ELLIPSIS, bounded

SERVICE_WINDOW = timedelta(hours=24)
# Meta refuses template parameters with newlines, tabs or more than four consecutive spaces (132018), and
# longer than 1,024 characters.
_PARAMETER_LIMIT = TEMPLATE_PARAMETER_MAX_LENGTH
_WHITESPACE = re.compile(r"\s+")
_LINK = re.compile(r"https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Template:
    """A utility template and the translations of it approved in WhatsApp Manager (Meta's codes)."""

    name: str
    language: str
    translations: frozenset[str] = frozenset()

    def in_language(self, language: str | None) -> str:
        """The translation for a reader of `language` ("pt" → "pt_BR"), or the template's own language
        when that translation was never approved (Meta would refuse it: 132001)."""
        if language is None:
            return self.language
        wanted = template_language(language)
        return wanted if wanted in self.translations else self.language


@dataclass(frozen=True)
class Contact:
    last_inbound_at: datetime | None
    opted_out: bool
    # The phone of a client addressed by business-scoped user ID, once Meta has shown it: Meta asks
    # businesses to send to the phone when they can.
    phone: str | None = None
    # The client's new business-scoped user ID when Meta changed the one they are addressed by.
    bsuid: str | None = None

    def recipient(self, address: str) -> str:
        """Where a message to `address` goes: the phone when known (the address itself may be it), else
        the current BSUID."""
        if self.phone is not None:
            return self.phone
        if is_phone(address):
            return address
        return self.bsuid or address


@dataclass(frozen=True)
class SendAs:
    """What to put on the wire; `fallback` when a template stands in for free-form content."""

    content: Content
    fallback: bool = False


@dataclass(frozen=True)
class Refuse:
    reason: str


def window_open(contact: Contact, *, now: datetime) -> bool:
    return contact.last_inbound_at is not None and now - contact.last_inbound_at < SERVICE_WINDOW


def decide(
    content: Content,
    *,
    category: Category,
    purpose: str,
    contact: Contact,
    now: datetime,
    templates: Mapping[str, Template],
    default_template: Template | None,
    force_template: bool = False,
    language: str | None = None,
) -> SendAs | Refuse:
    """How (and whether) one command may be sent now.

    `force_template` is set after Meta answered 131047: its clock says the window is closed whatever ours
    says, so the free-form content goes as the purpose's template.
    """
    if category is Category.MARKETING:
        if contact.opted_out:
            return Refuse("opted_out")
        if not isinstance(content, TemplateContent):
            return Refuse("marketing_requires_template")
        return SendAs(content)
    if isinstance(content, TemplateContent):
        return SendAs(content)
    if window_open(contact, now=now) and not force_template:
        return SendAs(content)
    template = templates.get(purpose, default_template)
    if template is None:
        return Refuse("outside_window")
    return SendAs(
        TemplateContent(
            name=template.name,
            language=template.in_language(language),
            body_parameters=[template_parameter(content)],
        ),
        fallback=True,
    )


def template_parameter(content: TextContent | ButtonsContent | ListContent) -> str:
    """The free-form text squeezed into one template body parameter."""
    text = content.body
    if isinstance(content, ButtonsContent):
        text += " - " + " / ".join(button.title for button in content.buttons)
    elif isinstance(content, ListContent):
        text += " - " + " / ".join(row.title for row in content.rows)
    flat = _WHITESPACE.sub(" ", text).strip()
    if len(flat) <= _PARAMETER_LIMIT:
        return flat
    # Senders keep what must arrive within the limit; if a message still runs over, the cut falls between
    # words, and never through a link: a link cut short opens the wrong page, one left out is in the chat.
    kept = bounded(flat, _PARAMETER_LIMIT).removesuffix(ELLIPSIS)
    last_word = kept.rfind(" ") + 1
    if not flat.startswith(kept + " ") and _LINK.match(kept, last_word):
        kept = kept[:last_word].rstrip()
    return kept + ELLIPSIS
