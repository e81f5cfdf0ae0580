"""Meta's WhatsApp Cloud API webhook payload, as much of it as Inkline reads.

Shape: `{"object": "whatsapp_business_account", "entry": [{"id", "changes": [{"field": "messages",
"value": {"metadata", "contacts", "messages", "statuses"}}]}]}`. One POST may carry several entries,
changes and messages. Unknown fields are ignored: Meta adds fields without notice.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Meta(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Profile(_Meta):
    name: str | None = None


class ContactInfo(_Meta):
    wa_id: str
    profile: Profile = Field(default_factory=Profile)


class TextBody(_Meta):
    body: str


class Reply(_Meta):
    id: str
    title: str
    description: str | None = None


class Interactive(_Meta):
    type: str
    button_reply: Reply | None = None
    list_reply: Reply | None = None


class TemplateButton(_Meta):
    """A tap on a quick-reply button of a template message."""

    payload: str | None = None
    text: str


class Media(_Meta):
    id: str
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None


class MessageContext(_Meta):
    """Set when the sender swipe-replied to (quoted) a message: `id` is that message's wamid."""

    id: str | None = None
    from_: str | None = Field(default=None, alias="from")


class Message(_Meta):
    from_: str = Field(alias="from")
    id: str
    timestamp: str
    type: str
    text: TextBody | None = None
    interactive: Interactive | None = None
    button: TemplateButton | None = None
    image: Media | None = None
    document: Media | None = None
    video: Media | None = None
    audio: Media | None = None
    sticker: Media | None = None
    context: MessageContext | None = None

    @property
    def media(self) -> Media | None:
        return self.image or self.document or self.video or self.audio or self.sticker


class StatusError(_Meta):
    code: int
    title: str | None = None


class Status(_Meta):
    id: str
    status: str
    timestamp: str
    recipient_id: str
    errors: list[StatusError] = Field(default_factory=list)
    # The notifier's tag on the send, echoed by Meta: it ties a status to a send whose answer never came.
    biz_opaque_callback_data: str | None = None


class Value(_Meta):
    messaging_product: str | None = None
    contacts: list[ContactInfo] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)


class Change(_Meta):
    field: str
    value: Value


class Entry(_Meta):
    id: str
    changes: list[Change] = Field(default_factory=list)


class WebhookPayload(_Meta):
    object: str
    entry: list[Entry] = Field(default_factory=list)
