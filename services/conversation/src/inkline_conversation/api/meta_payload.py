"""Meta's WhatsApp Cloud API webhook payload, as much of it as Inkline reads.

Shape: `{"object": "whatsapp_business_account", "entry": [{"id", "changes": [{"field": "messages",
"value": {"metadata", "contacts", "messages", "statuses"}}]}]}`. One POST may carry several entries,
changes and messages. Unknown fields are ignored: Meta adds fields without notice.

Usernames (2026): a client who adopts one may write with no phone number at all. Since April 2026 every
messages webhook carries the client's business-scoped user ID (BSUID): `contacts[].user_id` and
`messages[].from_user_id`, with the username in `contacts[].profile.username`; `contacts[].wa_id` and
`messages[].from` are then only present when Meta shares the phone. Statuses name the recipient by
`recipient_id` (phone, when shared) and `recipient_user_id` (BSUID).
https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Meta(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Profile(_Meta):
    name: str | None = None
    username: str | None = None


class ContactInfo(_Meta):
    wa_id: str | None = None
    user_id: str | None = None
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


class SystemNotice(_Meta):
    """A `system` message: the client changed their number (`user_changed_number`, with the new phone in
    `wa_id` and, since a new number means a new BSUID, the new one in `user_id`) or their BSUID changed
    (`user_changed_user_id`). Such messages carry no `contacts`; `from`/`from_user_id` name the client
    as they were known.
    https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system/
    """

    type: str | None = None
    body: str | None = None
    wa_id: str | None = None
    new_wa_id: str | None = None  # the field's name before Graph v12
    user_id: str | None = None
    # The BSUID the client had before the change (Meta added it in August 2026 to both notices).
    previous_user_id: str | None = None


class MessageContext(_Meta):
    """Set when the sender swipe-replied to (quoted) a message: `id` is that message's wamid."""

    id: str | None = None
    from_: str | None = Field(default=None, alias="from")


class Message(_Meta):
    from_: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
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
    system: SystemNotice | None = None
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
    recipient_id: str | None = None
    recipient_user_id: str | None = None
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
