"""Bodies are checked by the Graph fake's validator, which encodes the Cloud API's documented limits."""

from __future__ import annotations

from inkline_contracts.events.notify import (
    ButtonsContent,
    Content,
    ListContent,
    ListRow,
    MediaAttachment,
    ReplyButton,
    TemplateContent,
    TextContent,
)
from inkline_notifier.domain.payloads import message_body
from inkline_sandbox.graph.validation import validate_message

TO = "447700900123"


def test_every_kind_of_content_becomes_a_body_the_cloud_api_accepts() -> None:
    contents: list[Content] = [
        TextContent(body="hi"),
        ButtonsContent(
            body="Keep it?", buttons=[ReplyButton(id="yes", title="Yes"), ReplyButton(id="no", title="No")]
        ),
        ListContent(
            body="Pick",
            button="Slots",
            rows=[ListRow(id="s1", title="Fri", description="11:00")],
            section_title="March",
        ),
        TemplateContent(name="inkline_update", language="en_GB", body_parameters=["hello"]),
    ]
    for content in contents:
        validate_message(message_body(TO, content))


def test_a_template_carries_its_parameters_in_the_body_component() -> None:
    body = message_body(TO, TemplateContent(name="inkline_update", language="de", body_parameters=["a", "b"]))

    assert body["template"] == {
        "name": "inkline_update",
        "language": {"code": "de"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
        ],
    }


def test_a_templates_quick_reply_payloads_go_as_button_components_in_button_order() -> None:
    content = TemplateContent(
        name="last_minute_slot",
        body_parameters=["Sam"],
        quick_reply_payloads=["last_minute:abc", "no_thanks"],
    )
    body = message_body(TO, content)

    validate_message(body)
    assert body["template"]["components"][1:] == [
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": "0",
            "parameters": [{"type": "payload", "payload": "last_minute:abc"}],
        },
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": "1",
            "parameters": [{"type": "payload", "payload": "no_thanks"}],
        },
    ]


def test_a_list_goes_as_one_section() -> None:
    body = message_body(TO, ListContent(body="Pick", button="Slots", rows=[ListRow(id="s1", title="Fri")]))

    assert body["interactive"]["action"] == {
        "button": "Slots",
        "sections": [{"rows": [{"id": "s1", "title": "Fri"}]}],
    }


def test_a_client_known_only_by_business_scoped_user_id_is_addressed_by_recipient() -> None:
    bsuid = "US.ENT.11815799212886844830"

    body = message_body(bsuid, TextContent(body="hi"))

    validate_message(body)
    assert body["recipient"] == bsuid
    assert "to" not in body
    assert message_body(TO, TextContent(body="hi"))["to"] == TO


def test_a_picture_goes_by_its_media_id_with_its_caption() -> None:
    content = TextContent(
        body="a picture: the stencil",
        media=MediaAttachment(type="image", id="1013859600285441", caption="the stencil"),
    )

    body = message_body(TO, content)

    validate_message(body)
    assert (body["type"], body["image"]) == ("image", {"id": "1013859600285441", "caption": "the stencil"})
    assert "text" not in body


def test_a_voice_note_goes_without_a_caption_and_a_document_keeps_its_name() -> None:
    voice = TextContent(body="a voice note", media=MediaAttachment(type="audio", id="77", caption="listen"))
    document = TextContent(
        body="a document",
        media=MediaAttachment(type="document", id="78", caption="aftercare", filename="aftercare.pdf"),
    )
    sheet = message_body(TO, document)
    played = message_body(TO, voice)

    validate_message(played)
    validate_message(sheet)
    assert played["audio"] == {"id": "77"}, "Meta takes no caption on audio"
    assert sheet["document"] == {"id": "78", "caption": "aftercare", "filename": "aftercare.pdf"}


def test_a_message_quoting_an_earlier_one_carries_it_as_metas_context() -> None:
    body = message_body(TO, TextContent(body="*Sam:* hello?", reply_to="wamid.HBgLNDQ3"))

    validate_message(body)
    assert body["context"] == {"message_id": "wamid.HBgLNDQ3"}
    assert "context" not in message_body(TO, TextContent(body="hi"))
