import json

from inkline_conversation.api.webhook_items import read_batch
from inkline_conversation.db.pg_text import find_unstorable, storable
from inkline_conversation.db.quarantine import ItemKind, Reason


def _body(*messages: object, statuses: tuple[object, ...] = ()) -> bytes:
    value = {"messages": list(messages), "statuses": list(statuses)}
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"value": value}]}]}
    ).encode()


GOOD = {
    "from": "447700900123",
    "id": "wamid.1",
    "timestamp": "1764000000",
    "type": "text",
    "text": {"body": "hi"},
}


def test_each_message_and_status_is_judged_on_its_own() -> None:
    batch = read_batch(
        _body(
            GOOD,
            {"id": "wamid.2", "type": "text"},
            statuses=(
                {"id": "wamid.OUT", "status": "read", "timestamp": "1764000000", "recipient_id": "US.1349"},
            ),
        )
    )

    assert [item.message.id for item in batch.messages] == ["wamid.1"]
    assert [(aside.item, aside.reason, aside.wamid) for aside in batch.set_aside] == [
        (ItemKind.MESSAGE, Reason.INVALID_MESSAGE, "wamid.2"),
        (ItemKind.STATUS, Reason.INVALID_STATUS, "wamid.OUT"),
    ]
    assert "timestamp: Field required" in batch.set_aside[0].detail


BSUID = "US.13491208655302741918"


def _with_contacts(body: bytes, *contacts: object) -> bytes:
    payload = json.loads(body)
    payload["entry"][0]["changes"][0]["value"]["contacts"] = list(contacts)
    return json.dumps(payload).encode()


def test_a_username_client_without_a_phone_is_read_by_their_business_scoped_user_id() -> None:
    message = {key: value for key, value in GOOD.items() if key != "from"} | {"from_user_id": BSUID}
    contact = {"user_id": BSUID, "profile": {"name": "Sam", "username": "inked.sam"}}

    batch = read_batch(_with_contacts(_body(message), contact))

    assert batch.set_aside == []
    [item] = batch.messages
    assert (item.sender.identity.phone, item.sender.identity.bsuid) == (None, BSUID)
    assert (item.sender.identity.username, item.sender.profile_name) == ("inked.sam", "Sam")


def test_a_message_with_phone_and_business_scoped_user_id_keeps_both() -> None:
    message = GOOD | {"from_user_id": BSUID}
    contact = {"wa_id": GOOD["from"], "user_id": BSUID, "profile": {"name": "Sam"}}

    [item] = read_batch(_with_contacts(_body(message), contact)).messages

    assert (item.sender.identity.phone, item.sender.identity.bsuid) == (GOOD["from"], BSUID)


def test_a_message_whose_identity_fields_are_all_missing_or_malformed_is_set_aside() -> None:
    nobody = {key: value for key, value in GOOD.items() if key != "from"} | {"id": "wamid.nobody"}
    malformed = GOOD | {"id": "wamid.bad", "from": "+44 7700", "from_user_id": "US-1349"}

    batch = read_batch(_body(nobody, malformed))

    assert batch.messages == []
    assert [(aside.item, aside.reason, aside.wamid) for aside in batch.set_aside] == [
        (ItemKind.MESSAGE, Reason.INVALID_MESSAGE, "wamid.nobody"),
        (ItemKind.MESSAGE, Reason.INVALID_MESSAGE, "wamid.bad"),
    ]
    assert all("no phone number nor business-scoped user ID" in aside.detail for aside in batch.set_aside)
    assert all("7700" not in aside.detail for aside in batch.set_aside)


def test_a_status_for_a_message_sent_to_a_business_scoped_user_id_is_kept() -> None:
    status = {"id": "wamid.OUT", "status": "delivered", "timestamp": "1764000000", "recipient_user_id": BSUID}

    batch = read_batch(_body(statuses=(status,)))

    assert batch.set_aside == []
    assert [item.status.recipient_user_id for item in batch.statuses] == [BSUID]


def test_what_cannot_be_read_as_a_batch_is_set_aside_whole() -> None:
    not_json = read_batch(b"\xff\xfe")
    not_a_number = read_batch(b'{"entry": [NaN]}')
    no_entries = read_batch(b'{"object": "whatsapp_business_account", "entry": {}}')

    assert [aside.reason for aside in not_json.set_aside] == [Reason.NOT_JSON]
    assert [aside.reason for aside in not_a_number.set_aside] == [Reason.NOT_JSON]
    assert [aside.reason for aside in no_entries.set_aside] == [Reason.MALFORMED_PAYLOAD]


def test_a_profile_name_is_cut_to_its_column_and_an_unstorable_one_left_out() -> None:
    payload = json.loads(_body(GOOD, {**GOOD, "from": "447700900999", "id": "wamid.3"}))
    payload["entry"][0]["changes"][0]["value"]["contacts"] = [
        {"wa_id": "447700900123", "profile": {"name": "S" * 500}},
        {"wa_id": "447700900999", "profile": {"name": "Sam\x00"}},
    ]

    batch = read_batch(json.dumps(payload).encode())

    assert [item.sender.profile_name for item in batch.messages] == ["S" * 200, None]


def test_nul_characters_and_lone_surrogates_are_found_in_keys_and_values_and_written_out() -> None:
    value = {"text": {"body": "a\x00b"}, "k\ud800": ["\udfff"]}

    assert find_unstorable(value) == "NUL character in $.text.body"
    assert find_unstorable({"k\ud800": 1}) == "lone surrogate in the key $.k\\ud800"
    assert storable(value) == {"text": {"body": "a\\u0000b"}, "k\\ud800": ["\\udfff"]}
    assert find_unstorable(storable(value)) is None


def test_a_number_change_notice_is_an_identity_change_not_a_message() -> None:
    notice = {
        "from": GOOD["from"],
        "id": "wamid.SYS",
        "timestamp": "1764000000",
        "type": "system",
        "system": {
            "body": "User Sam changed from 447700900123 to 447700900456",
            "type": "user_changed_number",
            "wa_id": "447700900456",
            "user_id": BSUID,
        },
    }

    batch = read_batch(_body(notice))

    assert batch.messages == []
    assert batch.set_aside == []
    [change] = batch.identity_changes
    assert (change.known.phone, change.new_phone, change.new_bsuid) == (GOOD["from"], "447700900456", BSUID)


def test_a_bsuid_change_notice_finds_the_client_by_their_previous_bsuid() -> None:
    new_bsuid = "GB.99991208655302741000"
    notice = {
        "from_user_id": new_bsuid,
        "id": "wamid.SYS2",
        "timestamp": "1764000000",
        "type": "system",
        "system": {
            "body": "User Sam's ID changed",
            "type": "user_changed_user_id",
            "user_id": new_bsuid,
            "previous_user_id": BSUID,
        },
    }

    [change] = read_batch(_body(notice)).identity_changes

    assert (change.known.bsuid, change.new_phone, change.new_bsuid) == (BSUID, None, new_bsuid)
