from inkline_contracts.events.notify import ButtonsContent, ReplyButton
from inkline_conversation.journey import messages


def test_the_limits_are_the_ones_the_contract_declares() -> None:
    assert messages.max_length(ButtonsContent, "body") == 1024
    assert messages.max_length(ReplyButton, "title") == 20


def test_an_over_long_button_message_is_cut_to_whatsapps_limits() -> None:
    built = messages.buttons("b" * 2000, [("keep", "Keep my appointment please")])
    assert len(built.body) == 1024
    assert built.buttons[0].title == "Keep my appointment "
    assert built.buttons[0].id == "keep"


def test_a_list_shows_at_most_ten_rows_with_cut_titles() -> None:
    rows = [messages.list_row(f"slot-{n}", "Wednesday 14 January, morning", "d" * 100) for n in range(12)]
    built = messages.list_message("Pick one", button="See times", section_title="Available times", rows=rows)
    assert [row.id for row in built.rows] == [f"slot-{n}" for n in range(10)]
    assert built.rows[0].title == "Wednesday 14 January, mo"
    assert built.rows[0].description == "d" * 72


def test_a_long_artist_text_is_cut_to_4096_characters() -> None:
    assert len(messages.text("x" * 5000).body) == 4096
