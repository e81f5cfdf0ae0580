"""Validation of `POST /{phone_number_id}/messages` bodies against the Cloud API's documented shape and limits.

Limits from Meta's message docs: `biz_opaque_callback_data` <= 512; text body <= 4096; interactive body <= 1024, header/footer <= 60;
reply buttons 1..3 with titles 1..20 and ids <= 256; lists: button label <= 20, <= 10 sections, <= 10 rows
in total, row title <= 24, row description <= 72, row id <= 200; media captions <= 1024.
"""

from __future__ import annotations

import re
from typing import Any

from inkline_sandbox.graph.errors import invalid_parameter, invalid_value

MEDIA_TYPES = frozenset({"image", "document", "audio", "video", "sticker"})
MESSAGE_TYPES = MEDIA_TYPES | {"text", "interactive", "template", "location", "reaction", "contacts"}
INTERACTIVE_TYPES = frozenset(
    {"button", "list", "cta_url", "flow", "product", "product_list", "location_request_message"}
)


# A business-scoped user ID (BSUID): country code, dot, up to 128 alphanumerics; parent form `US.ENT.…`.
BSUID = re.compile(r"[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}")


def is_bsuid(value: str) -> bool:
    return BSUID.fullmatch(value) is not None


def recipient_wa_id(to: str) -> str:
    """Meta echoes the input and reports the WhatsApp id: the number's digits without `+` or separators;
    a BSUID is the client's id as it is."""
    return to if is_bsuid(to) else "".join(ch for ch in to if ch.isdigit())


def recipient_of(payload: dict[str, Any]) -> str:
    """`to` (a phone number) wins over `recipient` (a BSUID) when a send carries both, as on Meta."""
    to = payload.get("to")
    return to if isinstance(to, str) and to else str(payload["recipient"])


def validate_message(payload: Any) -> None:
    """Raise `GraphRequestError` for anything the real endpoint would refuse."""
    if not isinstance(payload, dict):
        raise invalid_parameter("The request body must be a JSON object.")
    product = payload.get("messaging_product")
    if product is None:
        raise invalid_parameter("The parameter messaging_product is required.")
    if product != "whatsapp":
        raise invalid_parameter(f'Param messaging_product must be one of {{WHATSAPP}} - got "{product}".')
    if payload.get("recipient_type", "individual") not in ("individual", "group"):
        raise invalid_parameter("Param recipient_type must be one of {INDIVIDUAL, GROUP}.")
    to, recipient = payload.get("to"), payload.get("recipient")
    if to is None and recipient is not None:
        if not isinstance(recipient, str) or not is_bsuid(recipient):
            raise invalid_parameter(f"Param recipient must be a business-scoped user ID - got {recipient!r}.")
    elif not isinstance(to, str) or not to:
        raise invalid_parameter("The parameter to is required.")
    elif is_bsuid(to) or not recipient_wa_id(to):
        raise invalid_parameter(f"Param to must be a valid phone number - got {to!r}.")
    callback_data = payload.get("biz_opaque_callback_data")
    if callback_data is not None and (not isinstance(callback_data, str) or len(callback_data) > 512):
        raise invalid_value("biz_opaque_callback_data length invalid. Min length: 0, Max length: 512")
    context = payload.get("context")
    if context is not None and (
        not isinstance(context, dict) or not isinstance(context.get("message_id"), str)
    ):
        raise invalid_parameter("The parameter context['message_id'] is required.")
    kind = payload.get("type", "text")
    if kind not in MESSAGE_TYPES:
        raise invalid_parameter(f"Param type must be one of the supported message types - got {kind!r}.")
    body = payload.get(kind)
    if kind == "contacts":
        if not isinstance(body, list) or not body:
            raise invalid_parameter("The parameter contacts is required.")
        return
    if not isinstance(body, dict):
        raise invalid_parameter(f"The parameter {kind} is required.")
    if kind == "text":
        _text(body)
    elif kind == "interactive":
        _interactive(body)
    elif kind == "template":
        _template(body)
    elif kind in MEDIA_TYPES:
        _media(kind, body)
    elif kind == "location":
        _required(body, kind, "latitude", "longitude")
    else:
        _required(body, kind, "message_id", "emoji")


def _required(obj: dict[str, Any], where: str, *names: str) -> None:
    for name in names:
        if obj.get(name) in (None, ""):
            raise invalid_parameter(f"The parameter {where}['{name}'] is required.")


def _string(obj: dict[str, Any], where: str, name: str, *, max_len: int, label: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value:
        raise invalid_parameter(f"The parameter {where}['{name}'] is required.")
    if len(value) > max_len:
        raise invalid_value(f"{label} length invalid. Min length: 1, Max length: {max_len}")
    return value


def _text(body: dict[str, Any]) -> None:
    _string(body, "text", "body", max_len=4096, label="Text body")


def _media(kind: str, body: dict[str, Any]) -> None:
    if not body.get("id") and not body.get("link"):
        raise invalid_parameter(f"The parameter {kind}['id'] or {kind}['link'] is required.")
    caption = body.get("caption")
    if caption is not None and kind in ("audio", "sticker"):
        raise invalid_parameter(f"Param {kind}['caption'] is not supported for {kind} messages.")
    if caption is not None and (not isinstance(caption, str) or len(caption) > 1024):
        raise invalid_value("Caption length invalid. Min length: 0, Max length: 1024")


def _template(body: dict[str, Any]) -> None:
    if not isinstance(body.get("name"), str) or not body["name"]:
        raise invalid_parameter("The parameter template['name'] is required.")
    language = body.get("language")
    if not isinstance(language, dict) or not isinstance(language.get("code"), str) or not language["code"]:
        raise invalid_parameter("The parameter template['language']['code'] is required.")
    components = body.get("components", [])
    if not isinstance(components, list):
        raise invalid_parameter("Param template['components'] must be an array.")
    for component in components:
        if not isinstance(component, dict) or component.get("type") not in ("header", "body", "button"):
            raise invalid_parameter("Param template['components'][]['type'] must be header, body or button.")
        if component["type"] == "button":
            _required(component, "template['components'][]", "sub_type", "index")
        parameters = component.get("parameters", [])
        if not isinstance(parameters, list) or any(
            not isinstance(p, dict) or "type" not in p for p in parameters
        ):
            raise invalid_parameter("Param template['components'][]['parameters'][]['type'] is required.")


def _interactive(body: dict[str, Any]) -> None:
    kind = body.get("type")
    if kind not in INTERACTIVE_TYPES:
        raise invalid_parameter(f"Param interactive['type'] must be a supported type - got {kind!r}.")
    header = body.get("header")
    if isinstance(header, dict) and header.get("type") == "text":
        _string(header, "interactive['header']", "text", max_len=60, label="Header text")
    footer = body.get("footer")
    if isinstance(footer, dict):
        _string(footer, "interactive['footer']", "text", max_len=60, label="Footer text")
    if kind in ("button", "list", "cta_url"):
        interactive_body = body.get("body")
        if not isinstance(interactive_body, dict):
            raise invalid_parameter("The parameter interactive['body'] is required.")
        _string(interactive_body, "interactive['body']", "text", max_len=1024, label="Body text")
    action = body.get("action")
    if not isinstance(action, dict):
        raise invalid_parameter("The parameter interactive['action'] is required.")
    if kind == "button":
        _reply_buttons(action)
    elif kind == "list":
        _list(action)
    elif kind == "cta_url":
        parameters = action.get("parameters")
        if action.get("name") != "cta_url" or not isinstance(parameters, dict):
            raise invalid_parameter("The parameter interactive['action']['parameters'] is required.")
        _string(
            parameters,
            "interactive['action']['parameters']",
            "display_text",
            max_len=20,
            label="Display text",
        )
        _required(parameters, "interactive['action']['parameters']", "url")


def _reply_buttons(action: dict[str, Any]) -> None:
    buttons = action.get("buttons")
    if not isinstance(buttons, list) or not buttons:
        raise invalid_parameter("The parameter interactive['action']['buttons'] is required.")
    if len(buttons) > 3:
        raise invalid_value("Buttons count invalid. Min count: 1, Max count: 3")
    ids: set[str] = set()
    for button in buttons:
        reply = button.get("reply") if isinstance(button, dict) else None
        if not isinstance(button, dict) or button.get("type") != "reply" or not isinstance(reply, dict):
            raise invalid_parameter("Param interactive['action']['buttons'][]['type'] must be reply.")
        button_id = _string(
            reply, "interactive['action']['buttons'][]['reply']", "id", max_len=256, label="Button id"
        )
        _string(
            reply, "interactive['action']['buttons'][]['reply']", "title", max_len=20, label="Button title"
        )
        if button_id in ids:
            raise invalid_value("Button ID is not unique.")
        ids.add(button_id)


def _list(action: dict[str, Any]) -> None:
    _string(action, "interactive['action']", "button", max_len=20, label="Button text")
    sections = action.get("sections")
    if not isinstance(sections, list) or not sections:
        raise invalid_parameter("The parameter interactive['action']['sections'] is required.")
    if len(sections) > 10:
        raise invalid_value("Sections count invalid. Min count: 1, Max count: 10")
    row_ids: set[str] = set()
    for section in sections:
        rows = section.get("rows") if isinstance(section, dict) else None
        if not isinstance(rows, list) or not rows:
            raise invalid_parameter("The parameter interactive['action']['sections'][]['rows'] is required.")
        if len(sections) > 1:
            _string(
                section, "interactive['action']['sections'][]", "title", max_len=24, label="Section title"
            )
        for row in rows:
            if not isinstance(row, dict):
                raise invalid_parameter(
                    "Param interactive['action']['sections'][]['rows'][] must be an object."
                )
            row_id = _string(row, "rows[]", "id", max_len=200, label="Row id")
            _string(row, "rows[]", "title", max_len=24, label="Row title")
            description = row.get("description")
            if description is not None and (not isinstance(description, str) or len(description) > 72):
                raise invalid_value("Row description length invalid. Min length: 0, Max length: 72")
            if row_id in row_ids:
                raise invalid_value("Row ID is not unique.")
            row_ids.add(row_id)
    if len(row_ids) > 10:
        raise invalid_value("Total row count exceed max allowed count: 10")
