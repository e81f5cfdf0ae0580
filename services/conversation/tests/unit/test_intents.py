import pytest

from inkline_conversation.domain.intents import Intent, detect_intents


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop please",
        "Stop!!",
        "please stop 🙏",
        "STOP messaging me",
        "Unsubscribe",
        "opt out",
        "Opt-out.",
    ],
)
def test_a_message_that_is_essentially_a_stop_keyword_opts_out(text: str) -> None:
    assert Intent.OPT_OUT in detect_intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "don't stop the lines here, carry them round to the back",
        "a stop sign with roses",
        "can the lettering stop at my elbow?",
        "stop motion style film reel",
    ],
)
def test_stop_inside_an_idea_description_does_not_opt_out(text: str) -> None:
    assert Intent.OPT_OUT not in detect_intents(text)


def test_localised_opt_out_words_are_configurable() -> None:
    assert detect_intents("Halt!", opt_out_words=("halt", "arrêt")) == {Intent.OPT_OUT}
    assert detect_intents("ARRÊT", opt_out_words=("halt", "arrêt")) == {Intent.OPT_OUT}
    assert Intent.OPT_OUT not in detect_intents("Halt!")


@pytest.mark.parametrize(
    "text",
    [
        "Stopp!",
        "abmelden bitte",
        "leave me alone",
        "remove me from your list",
        "STOP sending me these",
        "arrête de m'écrire",
        "Arrete de m'ecrire stp",
        "cancellami",
        "darme de baja por favor",
        "me tira da lista",
        "non scrivermi più",
    ],
)
def test_opt_outs_are_understood_in_every_language_clients_write_in(text: str) -> None:
    assert Intent.OPT_OUT in detect_intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "don't stop",
        "stop by the studio",
        "j'arrête pas d'y penser 😍",
        "não paro de pensar nessa tattoo kkkk",
        "para o braço 💪",
        "no pares de mandarme ideas q me encantan",
        "estoy de baja esta semana asi q cuando queráis",
        "eine Stoppuhr, die auf 12:34 steht",
        "basta che sia piccolo",
    ],
)
def test_sentences_that_only_contain_a_stop_word_are_not_opt_outs(text: str) -> None:
    assert Intent.OPT_OUT not in detect_intents(text)


def test_start_opts_in_but_restart_does_not() -> None:
    assert detect_intents("START") == {Intent.OPT_IN}
    assert detect_intents("start again please") == {Intent.OPT_IN}
    assert Intent.OPT_IN not in detect_intents("restart")
    assert Intent.OPT_IN not in detect_intents("when can we start?")


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to a real person?",
        "I'd rather speak with the artist",
        "Human please",
        "are you a bot??",
        "can I chat to someone",
    ],
)
def test_asking_for_a_person_is_a_human_intent(text: str) -> None:
    assert Intent.HUMAN in detect_intents(text)


def test_human_as_a_subject_of_the_tattoo_is_not_a_human_intent() -> None:
    assert detect_intents("a human skull with roses around it") == frozenset()
    assert detect_intents("a portrait of the artist Frida Kahlo") == frozenset()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want a refund", Intent.REFUND),
        ("can I get my money back?", Intent.REFUND),
        ("Please delete my data", Intent.DATA_DELETION),
        ("GDPR request", Intent.DATA_DELETION),
        ("forget me pls", Intent.DATA_DELETION),
        ("it's a cover up of my ex's name", Intent.COVER_UP),
        ("Cover-up", Intent.COVER_UP),
        ("coverup of an old tribal piece", Intent.COVER_UP),
        ("any discount for students?", Intent.HAGGLE),
        ("could it be cheaper", Intent.HAGGLE),
        ("can we do a deal on two", Intent.HAGGLE),
        ("is the price negotiable", Intent.HAGGLE),
    ],
)
def test_handover_intents_are_detected_case_insensitively(text: str, intent: Intent) -> None:
    assert intent in detect_intents(text)


@pytest.mark.parametrize(
    "text", ["that would be ideal", "restart", "Germany", "discovery of the undercover cat"]
)
def test_keywords_inside_other_words_do_not_match(text: str) -> None:
    assert detect_intents(text) == frozenset()


def test_one_message_can_carry_several_intents() -> None:
    assert detect_intents("cover up, any discount?") == {Intent.COVER_UP, Intent.HAGGLE}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("¿hay descuento?", Intent.HAGGLE),
        ("me hacéis precio si me hago dos?", Intent.HAGGLE),
        ("mi fai uno sconticino? 🙏", Intent.HAGGLE),
        ("to falando com um robô?", Intent.HUMAN),
        ("je peux parler à quelqu'un en vrai ?", Intent.HUMAN),
        ("ist das ein Bot?", Intent.HUMAN),
    ],
)
def test_haggling_and_asking_for_a_person_are_understood_in_every_language(text: str, intent: Intent) -> None:
    assert intent in detect_intents(text)


def test_en_vrai_alone_is_just_french_for_honestly() -> None:
    assert detect_intents("en vrai c'est trop beau") == frozenset()
