"""Outbound messages: the command every service uses to talk to a person, and what became of it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from inkline_contracts.base import ClientAddress, Contract

TEMPLATE_PARAMETER_MAX_LENGTH = 1024
"""Meta's limit on a template's body (its own words and the parameter together). Outside the 24-hour window
the notifier sends free-form text as a template parameter, flattened to one line; text that must arrive
whole (action links) has to fit in it."""


class Category(StrEnum):
    """Meta's conversation categories; marketing needs an opted-in contact and an approved template."""

    SERVICE = "service"
    UTILITY = "utility"
    MARKETING = "marketing"


class MediaAttachment(Contract):
    """A picture, voice note, video or document WhatsApp holds under `id` (a received message's media id)."""

    type: Literal["image", "audio", "video", "document"]
    id: str = Field(min_length=1, max_length=256)
    caption: str | None = Field(default=None, max_length=1024, description="not for audio: Meta takes none")
    filename: str | None = Field(default=None, max_length=240, description="a document's name on the phone")


class TextContent(Contract):
    kind: Literal["text"] = "text"
    body: str = Field(min_length=1, max_length=4096)
    preview_url: bool = False
    # Left out of the payload when unset, so a plain text reads as it did before these fields existed.
    media: MediaAttachment | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="send this media instead; `body` then stands for it in words (in a template outside the "
        "24-hour window, where media cannot go)",
    )
    reply_to: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        max_length=256,
        description="wamid of an earlier message in the same chat, shown quoted above this one (Meta's context)",
    )


class ReplyButton(Contract):
    id: str = Field(min_length=1, max_length=256)
    title: str = Field(min_length=1, max_length=20)


class ButtonsContent(Contract):
    kind: Literal["buttons"] = "buttons"
    body: str = Field(min_length=1, max_length=1024)
    buttons: list[ReplyButton] = Field(min_length=1, max_length=3)


class ListRow(Contract):
    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=24)
    description: str | None = Field(default=None, max_length=72)


class ListContent(Contract):
    kind: Literal["list"] = "list"
    body: str = Field(min_length=1, max_length=4096)
    button: str = Field(min_length=1, max_length=20)
    rows: list[ListRow] = Field(min_length=1, max_length=10)
    section_title: str | None = Field(default=None, max_length=24)


class TemplateContent(Contract):
    kind: Literal["template"] = "template"
    name: str
    language: str = "en"
    body_parameters: list[str] = Field(default_factory=list)
    quick_reply_payloads: list[str] = Field(
        default_factory=list,
        description="payloads of the template's quick-reply buttons, in button order; a tap comes back with it",
    )


Content = Annotated[TextContent | ButtonsContent | ListContent | TemplateContent, Field(discriminator="kind")]


class SendMessage(Contract):
    """Command: send one message to one person. The envelope's message_id is the send's identity."""

    to: ClientAddress = Field(description="the person's address: keys their 24-hour window and their queue")
    content: Content
    category: Category = Category.SERVICE
    purpose: str = Field(
        description="what the message is for, e.g. consult_question; picks a template fallback"
    )
    campaign_tag: str | None = None
    language: str | None = Field(
        default=None,
        max_length=10,
        description='the reader\'s language ("es", "pt"): outside the 24 h window free-form text goes in the '
        "fallback template's translation for it; None for the template's own language",
    )
    window_opened_at: AwareDatetime | None = Field(
        default=None,
        description="when the recipient last wrote, as the sender knows it: their 24-hour service window is "
        "open from then even if the notifier has not recorded that message yet",
    )


class MessageStatusReceived(Contract):
    """A delivery status callback from Meta, forwarded by the conversation webhook."""

    wamid: str
    recipient_wa_id: ClientAddress
    status: str = Field(description="sent, delivered, read or failed")
    timestamp_epoch: int
    error_code: int | None = None
    error_title: str | None = None
    biz_opaque_callback_data: str | None = Field(
        default=None, max_length=512, description="the send's tag, echoed by Meta: which notification it was"
    )


class MessageSent(Contract):
    notification_id: str = Field(description="message_id of the SendMessage command")
    to: ClientAddress
    wamid: str
    purpose: str
    category: Category
    campaign_tag: str | None = None


class MessageDelivered(Contract):
    notification_id: str
    wamid: str
    to: ClientAddress
    campaign_tag: str | None = None


class MessageRead(Contract):
    notification_id: str
    wamid: str
    to: ClientAddress
    campaign_tag: str | None = None


class MessageFailed(Contract):
    notification_id: str
    to: ClientAddress
    reason: str = Field(description="e.g. outside_window, opted_out, meta_error")
    wamid: str | None = None
    error_code: int | None = None
    campaign_tag: str | None = None
