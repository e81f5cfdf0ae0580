"""The Graph fake accepts what the Cloud API accepts, answers in its format, and refuses what it refuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import serve_in_background

TOKEN = "test-token"
PHONE_ID = "106540352242922"


@pytest.fixture
def state() -> GraphState:
    return GraphState(access_token=TOKEN, phone_number_ids={PHONE_ID})


@pytest.fixture
def graph(state: GraphState) -> Iterator[httpx.Client]:
    with serve_in_background(create_graph_app(state)) as base_url:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=f"{base_url}/v21.0", headers=headers, timeout=5) as client:
            yield client


def text(to: str = "+34 600-111-222", body: str = "Hola!") -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
            "text": {"body": body}}  # fmt: skip


def buttons(*titles: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": "34600111222",
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Which slot?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": f"b{i}", "title": t}} for i, t in enumerate(titles)
                ]
            },
        },
    }


def list_message(row_count: int, *, row_title: str = "Tue 10:00") -> dict[str, Any]:
    rows = [{"id": f"r{i}", "title": row_title, "description": "2h session"} for i in range(row_count)]
    return {
        "messaging_product": "whatsapp",
        "to": "34600111222",
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Pick a slot"},
            "action": {"button": "See slots", "sections": [{"title": "This week", "rows": rows}]},
        },
    }


def test_a_text_message_gets_metas_success_response_and_is_recorded(
    graph: httpx.Client, state: GraphState
) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=text())

    assert response.status_code == 200
    body = response.json()
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "+34 600-111-222", "wa_id": "34600111222"}]
    wamid = body["messages"][0]["id"]
    assert wamid.startswith("wamid.")
    sent = state.last_message(to="34600111222")
    assert (sent.wamid, sent.type, sent.text, sent.phone_number_id) == (wamid, "text", "Hola!", PHONE_ID)


def test_a_contextual_reply_is_recorded_with_the_message_it_quotes(
    graph: httpx.Client, state: GraphState
) -> None:
    first = graph.post(f"/{PHONE_ID}/messages", json=text(body="Sam is waiting")).json()["messages"][0]["id"]

    response = graph.post(
        f"/{PHONE_ID}/messages", json=text(body="Sam: hello?") | {"context": {"message_id": first}}
    )

    assert response.status_code == 200
    assert state.last_message(to="34600111222").reply_to == first


def upload(graph: httpx.Client, content: bytes, mime_type: str) -> httpx.Response:
    return graph.post(
        f"/{PHONE_ID}/media",
        data={"messaging_product": "whatsapp", "type": mime_type},
        files={"file": ("stencil.png", content, mime_type)},
    )


def image_by_id(media_id: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": "34600111222", "type": "image",
            "image": {"id": media_id, "caption": "the stencil"}}  # fmt: skip


def test_an_uploaded_picture_gets_an_id_it_is_sent_by_and_recorded_with_its_caption(
    graph: httpx.Client, state: GraphState
) -> None:
    uploaded = upload(graph, b"\x89PNG the stencil", "image/png")
    assert uploaded.status_code == 200, uploaded.text
    media_id = uploaded.json()["id"]

    response = graph.post(f"/{PHONE_ID}/messages", json=image_by_id(media_id))

    assert response.status_code == 200, response.text
    sent = state.last_message(to="34600111222")
    assert (sent.type, sent.body["id"], sent.text, sent.reply_to) == ("image", media_id, "the stencil", None)
    [held] = state.uploads()
    assert (held.media_id, held.content, held.mime_type) == (media_id, b"\x89PNG the stencil", "image/png")


@pytest.mark.parametrize("received", [True, False], ids=["received-in-a-webhook", "never-existed"])
def test_a_picture_by_an_id_the_number_never_uploaded_is_refused_like_meta(
    graph: httpx.Client, state: GraphState, received: bool
) -> None:
    # Meta sends media by the id of an upload (or a link); an id from a webhook is only for downloading.
    if received:
        state.add_media(b"\x89PNG from the artist", "image/png", media_id="1013859600285441")

    response = graph.post(f"/{PHONE_ID}/messages", json=image_by_id("1013859600285441"))

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 100
    assert "not a valid whatsapp business account media attachment ID" in error["error_data"]["details"]
    assert state.messages() == []
    assert [(a.outcome, a.error_code) for a in state.attempts()] == [("rejected", 100)]


def test_an_upload_over_metas_size_for_its_type_or_of_an_unsupported_type_is_refused(
    graph: httpx.Client, state: GraphState
) -> None:
    too_big = upload(graph, b"x" * (5 * 1024 * 1024 + 1), "image/jpeg")
    unsupported = upload(graph, b"MZ", "application/x-msdownload")
    without_product = graph.post(f"/{PHONE_ID}/media", files={"file": ("a.png", b"png", "image/png")})

    assert (too_big.status_code, too_big.json()["error"]["code"]) == (400, 131053)
    assert (unsupported.status_code, unsupported.json()["error"]["code"]) == (400, 100)
    assert (without_product.status_code, without_product.json()["error"]["code"]) == (400, 100)
    assert state.uploads() == []


def test_a_send_to_a_business_scoped_user_id_goes_in_recipient_and_is_answered_with_the_user_id(
    graph: httpx.Client, state: GraphState
) -> None:
    bsuid = "GB.13491208655302741918"
    payload = {key: value for key, value in text().items() if key != "to"} | {"recipient": bsuid}

    response = graph.post(f"/{PHONE_ID}/messages", json=payload)
    refused = graph.post(f"/{PHONE_ID}/messages", json=payload | {"recipient": "+34 600-111-222"})

    assert response.status_code == 200
    assert response.json()["contacts"] == [{"input": bsuid, "user_id": bsuid}]
    assert state.last_message(to=bsuid).text == "Hola!"
    assert refused.status_code == 400


def test_the_send_path_also_works_without_the_version_prefix(graph: httpx.Client, state: GraphState) -> None:
    base = str(graph.base_url).removesuffix("/v21.0/")
    response = httpx.post(
        f"{base}/{PHONE_ID}/messages", json=text(), headers={"Authorization": f"Bearer {TOKEN}"}
    )

    assert response.status_code == 200
    assert len(state.messages()) == 1


def test_a_missing_or_wrong_token_gets_a_401_oauth_error(graph: httpx.Client, state: GraphState) -> None:
    missing = httpx.post(f"{graph.base_url}{PHONE_ID}/messages", json=text())
    wrong = graph.post(f"/{PHONE_ID}/messages", json=text(), headers={"Authorization": "Bearer nope"})

    for response in (missing, wrong):
        assert response.status_code == 401
        error = response.json()["error"]
        assert (error["type"], error["code"]) == ("OAuthException", 190)
        assert error["fbtrace_id"]
    assert state.messages() == []


def test_an_unknown_phone_number_id_is_graphs_unsupported_post_request(graph: httpx.Client) -> None:
    response = graph.post("/999/messages", json=text())

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"]) == (100, 33)
    assert error["message"].startswith("Unsupported post request. Object with ID '999' does not exist")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"to": "34600111222", "type": "text", "text": {"body": "x"}},
            "The parameter messaging_product is required.",
        ),
        (
            {"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}},
            "The parameter to is required.",
        ),
        (
            {"messaging_product": "whatsapp", "to": "346", "type": "text", "text": {}},
            "text['body'] is required.",
        ),
        (
            {"messaging_product": "whatsapp", "to": "346", "type": "fax", "fax": {}},
            "Param type must be one of",
        ),
        (
            {
                "messaging_product": "whatsapp",
                "to": "346",
                "type": "template",
                "template": {"name": "reminder"},
            },
            "The parameter template['language']['code'] is required.",
        ),
        (
            {"messaging_product": "whatsapp", "to": "346", "type": "image", "image": {"caption": "a"}},
            "The parameter image['id'] or image['link'] is required.",
        ),
        (
            {
                "messaging_product": "whatsapp",
                "to": "346",
                "type": "audio",
                "audio": {"id": "1", "caption": "a"},
            },
            "Param audio['caption'] is not supported",
        ),
        (
            {**text(), "context": {"id": "wamid.1"}},
            "The parameter context['message_id'] is required.",
        ),
    ],
)
def test_malformed_messages_get_a_400_invalid_parameter_error(
    graph: httpx.Client, state: GraphState, payload: dict[str, Any], message: str
) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=payload)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("OAuthException", 100)
    assert message in error["message"]
    assert state.messages() == []


def test_three_reply_buttons_with_twenty_character_titles_are_accepted(graph: httpx.Client) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=buttons("Yes", "No", "x" * 20))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "details"),
    [
        (buttons("A", "B", "C", "D"), "Buttons count invalid. Min count: 1, Max count: 3"),
        (buttons("Ver otros profesionales"), "Button title length invalid. Min length: 1, Max length: 20"),
        (list_message(11), "Total row count exceed max allowed count: 10"),
        (list_message(2, row_title="y" * 25), "Row title length invalid. Min length: 1, Max length: 24"),
        (
            buttons("Yes") | {"biz_opaque_callback_data": "t" * 513},
            "biz_opaque_callback_data length invalid. Min length: 0, Max length: 512",
        ),
    ],
)
def test_interactive_messages_over_metas_limits_get_131009_with_the_limit_in_details(
    graph: httpx.Client, payload: dict[str, Any], details: str
) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=payload)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (131009, "(#131009) Parameter value is not valid")
    assert error["error_data"] == {"messaging_product": "whatsapp", "details": details}


def test_a_list_with_ten_rows_is_accepted_and_its_body_recorded(
    graph: httpx.Client, state: GraphState
) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=list_message(10))

    assert response.status_code == 200
    sent = state.last_message()
    assert sent.text == "Pick a slot"
    assert len(sent.body["action"]["sections"][0]["rows"]) == 10


def test_a_template_send_is_accepted_with_message_status_accepted(
    graph: httpx.Client, state: GraphState
) -> None:
    template = {
        "name": "appointment_reminder",
        "language": {"code": "es"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}],
    }
    payload = {"messaging_product": "whatsapp", "to": "34600111222", "type": "template", "template": template}

    response = graph.post(f"/{PHONE_ID}/messages", json=payload)

    assert response.status_code == 200
    assert response.json()["messages"][0]["message_status"] == "accepted"
    assert state.last_message().body["name"] == "appointment_reminder"


def template(name: str, language: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": "34600111222", "type": "template",
            "template": {"name": name, "language": {"code": language}}}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "language"),
    [("appointment_reminder", "nl"), ("appointment_reminder", "pt"), ("spring_sale", "en")],
)
def test_a_template_without_an_approved_translation_is_refused_like_meta(
    graph: httpx.Client, state: GraphState, name: str, language: str
) -> None:
    response = graph.post(f"/{PHONE_ID}/messages", json=template(name, language))

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["code"], error["type"]) == (132001, "OAuthException")
    assert error["message"] == "(#132001) Template name does not exist in the translation"
    assert error["error_data"]["details"] == f"template name ({name}) does not exist in {language}"
    assert state.messages() == []
    assert [(a.outcome, a.error_code) for a in state.attempts()] == [("rejected", 132001)]


@pytest.mark.parametrize("language", ["en", "es", "pt_BR", "de", "fr", "it"])
def test_every_template_inkline_sends_is_approved_in_its_six_languages(
    graph: httpx.Client, language: str
) -> None:
    for name in ("inkline_update", "appointment_reminder", "inkline_artist_alert", "last_minute_slot"):
        assert graph.post(f"/{PHONE_ID}/messages", json=template(name, language)).status_code == 200


def test_a_test_can_approve_a_template_of_its_own(graph: httpx.Client, state: GraphState) -> None:
    state.templates.register("spring_sale", "nl")

    assert graph.post(f"/{PHONE_ID}/messages", json=template("spring_sale", "nl")).status_code == 200
    assert graph.post(f"/{PHONE_ID}/messages", json=template("spring_sale", "de")).status_code == 404


def test_registered_media_is_described_and_downloadable_with_the_token(
    graph: httpx.Client, state: GraphState
) -> None:
    item = state.add_media(b"\x89PNG fake reference image", "image/png", media_id="1234567890")

    meta = graph.get("/1234567890")

    assert meta.status_code == 200
    body = meta.json()
    assert (body["id"], body["mime_type"], body["file_size"]) == ("1234567890", "image/png", 25)
    assert body["sha256"] == item.sha256
    assert body["messaging_product"] == "whatsapp"
    download = graph.get(body["url"])
    assert download.status_code == 200
    assert download.content == b"\x89PNG fake reference image"
    assert download.headers["content-type"] == "image/png"
    assert httpx.get(body["url"]).status_code == 401


def test_unknown_media_is_graphs_unsupported_get_request(graph: httpx.Client) -> None:
    response = graph.get("/555")

    assert response.status_code == 400
    assert response.json()["error"]["error_subcode"] == 33
