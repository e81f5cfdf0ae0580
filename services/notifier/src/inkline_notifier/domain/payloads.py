"""Cloud API `POST /{phone-number-id}/messages` bodies for each kind of content."""

from __future__ import annotations

from typing import Any

from inkline_contracts.base import is_phone
from inkline_contracts.events.notify import (
    ButtonsContent,
    Content,
    ListContent,
    MediaAttachment,
    TemplateContent,
    TextContent,
)


def message_body(to: str, content: Content) -> dict[str, Any]:
    # A phone number goes in `to`; a business-scoped user ID (a client known only by their username) in
    # `recipient`, which Meta added for BSUIDs and parent BSUIDs (`to` wins when both are sent).
    # https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
    address = {"to": to} if is_phone(to) else {"recipient": to}
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", **address}
    if isinstance(content, TextContent) and content.media is not None:
        body |= _media(content.media)
    elif isinstance(content, TextContent):
        body |= {"type": "text", "text": {"body": content.body, "preview_url": content.preview_url}}
    elif isinstance(content, ButtonsContent):
        buttons = [{"type": "reply", "reply": {"id": b.id, "title": b.title}} for b in content.buttons]
        body |= {
            "type": "interactive",
            "interactive": {"type": "button", "body": {"text": content.body}, "action": {"buttons": buttons}},
        }
    elif isinstance(content, ListContent):
        rows = [_row(row.id, row.title, row.description) for row in content.rows]
        section: dict[str, Any] = {"rows": rows}
        if content.section_title:
            section["title"] = content.section_title
        body |= {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": content.body},
                "action": {"button": content.button, "sections": [section]},
            },
        }
    else:
        body |= {"type": "template", "template": _template(content)}
    if isinstance(content, TextContent) and content.reply_to:
        # Meta's contextual reply: the earlier message shows quoted above this one.
        body["context"] = {"message_id": content.reply_to}
    return body


def _media(media: MediaAttachment) -> dict[str, Any]:
    """A media message by the id WhatsApp gave the media; audio is the one type Meta takes no caption on."""
    sent: dict[str, Any] = {"id": media.id}
    if media.caption and media.type != "audio":
        sent["caption"] = media.caption
    if media.type == "document" and media.filename:
        sent["filename"] = media.filename
    return {"type": media.type, media.type: sent}


def _row(row_id: str, title: str, description: str | None) -> dict[str, str]:
    row = {"id": row_id, "title": title}
    if description:
        row["description"] = description
    return row


def _template(content: TemplateContent) -> dict[str, Any]:
    template: dict[str, Any] = {"name": content.name, "language": {"code": content.language}}
    components: list[dict[str, Any]] = []
    if content.body_parameters:
        parameters = [{"type": "text", "text": value} for value in content.body_parameters]
        components.append({"type": "body", "parameters": parameters})
    # A quick-reply button's payload comes back on the client's tap (messages[].button.payload), which is
    # how the reply is tied to what was offered.
    components.extend(
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": str(index),
            "parameters": [{"type": "payload", "payload": payload}],
        }
        for index, payload in enumerate(content.quick_reply_payloads)
    )
    if components:
        template["components"] = components
    return template
