import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.idea import parse_idea
from inkline_conversation.domain.parsing.placement import Placement, find_placement, parse_placement
from inkline_conversation.domain.parsing.references import References, ReferencesSkipped, parse_references
from inkline_conversation.domain.parsing.style import Style, StyleSkipped, find_styles, parse_style
from inkline_conversation.domain.parsing.text import is_skip


def test_idea_keeps_the_clients_own_words() -> None:
    assert parse_idea("  My dog Max 🐶 in fine line  ") == "My dog Max 🐶 in fine line"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hi!!", "empty"),
        ("hi id like to book a tattoo pls", "generic"),
        ("idk", "undecided"),
        ("not sure yet", "undecided"),
    ],
)
def test_idea_rejects_greetings_generic_requests_and_shrugs(text: str, reason: str) -> None:
    assert parse_idea(text) == ParseFailure(reason=reason, hint_key="repair.idea")


@pytest.mark.parametrize(
    ("text", "area", "side"),
    [
        ("left inner forearm", "forearm", "left"),
        ("Behind my ear", "behind the ear", None),
        ("full back piece", "full back", None),
        ("Right wrist pls", "wrist", "right"),
        ("upper back, between my shoulders", "upper back", None),
        ("left side of my neck", "neck", "left"),
    ],
)
def test_placements_map_to_a_canonical_area(text: str, area: str, side: str | None) -> None:
    assert parse_placement(text) == Placement(area=area, side=side, description=text)


def test_an_unrecognised_short_placement_is_kept_as_free_text() -> None:
    assert parse_placement("inside of my lower lip") == Placement(None, None, "inside of my lower lip")


def test_a_hesitant_word_before_a_free_text_placement_keeps_it() -> None:
    assert parse_placement("maybe inside of my lower lip") == Placement(
        None, None, "maybe inside of my lower lip"
    )


@pytest.mark.parametrize(
    ("text", "area", "side"),
    [
        ("top of my butt cheek", "buttock", None),
        ("antebrazo", "forearm", None),
        ("en el antebraso izquierdo porfa", "forearm", "left"),
        ("Oberarm rechts", "upper arm", "right"),
        ("Rücken", "back", None),
        ("na barriga da perna", "calf", None),
        ("derrière l'oreille", "behind the ear", None),
        ("avambraccio dx", "forearm", "right"),
        ("forarm", "forearm", None),
        ("right calve", "calf", "right"),
    ],
)
def test_body_areas_are_read_in_every_language_and_through_typos(
    text: str, area: str, side: str | None
) -> None:
    placement = parse_placement(text)
    assert isinstance(placement, Placement)
    assert (placement.area, placement.side) == (area, side)


@pytest.mark.parametrize(
    "text", ["not sure", "anywhere!", "up to you", "hmm not sure", "no idea tbh", "Hmm...", "maybe"]
)
def test_vague_placements_fail(text: str) -> None:
    assert parse_placement(text) == ParseFailure(reason="vague", hint_key="repair.placement")


def test_placement_is_found_inside_an_idea() -> None:
    found = find_placement("a small rose on my wrist, about 5cm")

    assert found is not None
    assert found.area == "wrist"


def test_style_words_are_recognised_and_the_more_specific_one_wins() -> None:
    assert find_styles("Neo trad with some colour") == ("neo-traditional", "colour")
    assert find_styles("micro realism portrait") == ("micro realism", "portrait")


def test_any_style_answer_is_accepted_and_up_to_you_skips() -> None:
    assert parse_style("fine line please") == Style(styles=("fine line",), description="fine line please")
    assert parse_style("kind of like her other flash") == Style(
        styles=(), description="kind of like her other flash"
    )
    assert parse_style("up to you!") == StyleSkipped()
    assert parse_style("no preference") == StyleSkipped()


def test_references_accept_links_notes_and_skips() -> None:
    assert parse_references("https://pin.it/abc123 and this one") == References(
        links=("https://pin.it/abc123",), note="https://pin.it/abc123 and this one"
    )
    assert parse_references("like my mate's one") == References(note="like my mate's one")
    assert parse_references("skip") == ReferencesSkipped()
    assert parse_references("I'll send them later") == ReferencesSkipped()


def test_yes_without_pictures_asks_for_them() -> None:
    assert parse_references("Yes!") == ParseFailure(reason="no_media", hint_key="repair.references")


@pytest.mark.parametrize("text", ["no", "Nope 👎", "skip", "No thanks!", "nah not really", "-"])
def test_skip_words_are_recognised(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize("text", ["no idea", "a rose", "no more than 10cm"])
def test_answers_that_start_like_a_skip_are_not_skips(text: str) -> None:
    assert not is_skip(text)


@pytest.mark.parametrize(
    ("text", "styles"),
    [
        ("realistisch", ("realism",)),
        ("tipo aguarela", ("watercolour",)),
        ("noir et gris", ("black and grey",)),
        ("linea fina", ("fine line",)),
        ("réaliste, en couleur", ("realism", "colour")),
        ("Fineline, eher minimalistisch", ("fine line", "minimalist")),
        ("acquerello", ("watercolour",)),
        ("realistc", ("realism",)),
    ],
)
def test_styles_are_read_in_every_language_and_through_typos(text: str, styles: tuple[str, ...]) -> None:
    style = parse_style(text)
    assert isinstance(style, Style)
    assert set(style.styles) == set(styles)


@pytest.mark.parametrize(
    "text",
    [
        "not sure, up to you",
        "whatever she thinks is best",
        "lo q el tatuador vea, confío en él",
        "comme tu veux",
    ],
)
def test_leaving_the_style_to_the_artist_in_any_words_skips_it(text: str) -> None:
    assert parse_style(text) == StyleSkipped()


@pytest.mark.parametrize(
    "text",
    [
        "sí",
        "I have some on my phone",
        "yeah I'll send a few",
        "tenho umas no celular",
        "si ne ho un paio salvate",
    ],
)
def test_pictures_promised_but_not_sent_are_asked_for(text: str) -> None:
    assert isinstance(parse_references(text), ParseFailure)


@pytest.mark.parametrize(
    "text", ["nope, just the idea", "nein", "schick ich dir später", "I'll send them later"]
)
def test_no_references_or_later_in_any_language_skips_them(text: str) -> None:
    assert parse_references(text) == ReferencesSkipped()


def test_a_reference_described_in_words_is_kept_as_a_note() -> None:
    text = "algo parecido al q lleva mi prima en la muñeca"
    assert parse_references(text) == References(note=text)
