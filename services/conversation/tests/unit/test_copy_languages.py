"""Every text exists in every language Inkline speaks, with the same placeholders, and reads in it."""

import re
from datetime import date, datetime

import pytest

from inkline_conversation.domain.copy import LANGUAGES, Copy, LocalFormats, ParamValue, SlotTime
from inkline_conversation.domain.money import Money

ENGLISH = Copy.load("en")
OTHER_LANGUAGES = [language for language in LANGUAGES if language != "en"]
# Placeholders that receive an amount: the catalogue formats them for the language.
MONEY_PLACEHOLDERS = frozenset({"example_low", "example_high", "minimum", "deposit", "amount", "low", "high"})
SLOT_PLACEHOLDERS = frozenset({"slot_time", "old_time"})
# Texts of more than three words that may read the same as English (brand-like strings); none today.
SAME_AS_ENGLISH_ALLOWED: frozenset[tuple[str, str]] = frozenset()
# CLDR writes a time range with an en dash (U+2013); English keeps Inkline's hyphen.
DASH = "\u2013"
# WhatsApp cuts reply-button titles at 20 characters.
BUTTON_TITLE_LIMIT = 20


def _sample(name: str) -> ParamValue:
    if name in MONEY_PLACEHOLDERS:
        return Money(125050, "EUR")
    if name in SLOT_PLACEHOLDERS:
        return SlotTime(datetime(2026, 3, 14, 14), datetime(2026, 3, 14, 18))
    if name in {"hours", "refund_hours", "reschedule_hours", "count"}:
        return 48
    return f"<{name}>"


def _words(text: str) -> int:
    return len(re.sub(r"\{\w+\}", " ", text).split())


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_english_key_exists_in_the_language_and_no_other(language: str) -> None:
    texts = Copy.load(language)

    assert sorted(ENGLISH.keys() - texts.keys()) == []
    assert sorted(texts.keys() - ENGLISH.keys()) == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_text_expects_exactly_the_english_placeholders(language: str) -> None:
    texts = Copy.load(language)

    mismatched = {
        key: sorted(texts.placeholders(key) ^ ENGLISH.placeholders(key))
        for key in ENGLISH.keys() & texts.keys()
        if texts.placeholders(key) != ENGLISH.placeholders(key)
    }
    assert mismatched == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_renders_with_its_amounts_and_times_written_the_language_s_way(language: str) -> None:
    texts = Copy.load(language)
    amount = texts.formats.money(Money(125050, "EUR"))
    slot = texts.formats.slot(SlotTime(datetime(2026, 3, 14, 14), datetime(2026, 3, 14, 18)))

    for key in sorted(texts.keys()):
        names = texts.placeholders(key)
        rendered = texts.render(key, **{name: _sample(name) for name in names})

        assert "{" not in rendered, key
        assert "}" not in rendered, key
        if names & MONEY_PLACEHOLDERS:
            assert amount in rendered, key
        if names & SLOT_PLACEHOLDERS:
            assert slot in rendered, key


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_text_writes_a_currency_next_to_an_amount_that_already_has_one(language: str) -> None:
    texts = Copy.load(language)
    money = "|".join(sorted(MONEY_PLACEHOLDERS))
    doubled = re.compile(
        rf"(?:[€$£¥]|R\$|\b[A-Z]{{3}}\b)\s*\{{(?:{money})\}}|\{{(?:{money})\}}\s*(?:[€$£¥]|\b[A-Z]{{3}}\b)"
    )

    assert [key for key in sorted(texts.keys()) if doubled.search(texts.texts[key])] == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_sentence_is_left_in_english(language: str) -> None:
    texts = Copy.load(language)

    untranslated = [
        key
        for key in sorted(texts.keys())
        if texts.texts[key] == ENGLISH.texts[key]
        and _words(ENGLISH.texts[key]) > 3
        and (language, key) not in SAME_AS_ENGLISH_ALLOWED
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_button_titles_fit_whatsapp_in_every_language(language: str) -> None:
    texts = Copy.load(language)

    too_long = {key: texts.texts[key] for key in sorted(texts.keys()) if key.endswith("_button")}
    assert {key: text for key, text in too_long.items() if len(text) > BUTTON_TITLE_LIMIT} == {}
    assert too_long, "the catalogue has buttons"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_only_the_opt_out_keywords_stay_english(language: str) -> None:
    # "skip" is an English command a Spanish client would not think to type; STOP and START are kept
    # because carriers and WhatsApp users recognise them in every language.
    texts = Copy.load(language)

    assert [
        key for key in sorted(texts.keys()) if re.search(r"\bskip\b", texts.texts[key], re.IGNORECASE)
    ] == []
    assert "STOP" in texts.texts["greeting.consultation"]


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("es", "es"),
        ("pt-BR", "pt"),
        ("pt_PT", "pt"),
        ("DE", "de"),
        ("fr-CA", "fr"),
        ("it", "it"),
        ("en", "en"),
    ],
)
def test_for_language_takes_a_lead_s_language_code_in_any_regional_form(code: str, language: str) -> None:
    texts = Copy.for_language(code)

    assert texts.language == language
    assert texts.keys() == ENGLISH.keys()


@pytest.mark.parametrize("code", ["xx", "nl", "", "../secrets"])
def test_a_language_inkline_does_not_speak_gets_english(code: str) -> None:
    texts = Copy.for_language(code)

    assert texts.language == "en"
    assert texts.render("question.location") == ENGLISH.render("question.location")


def test_a_key_a_language_has_not_written_yet_falls_back_to_english() -> None:
    partial = Copy(language="es", texts={"question.location": "¿En qué ciudad vives?"})

    texts = partial.falling_back_to(ENGLISH)

    assert texts.render("question.location") == "¿En qué ciudad vives?"
    assert texts.render("question.placement") == ENGLISH.render("question.placement")


def test_spanish_questions_are_spanish() -> None:
    spanish = Copy.for_language("es")

    assert spanish.render("question.location") == "¿En qué ciudad y país vives?"
    assert "Kat" in spanish.render("greeting.consultation", artist_name="Kat")


def _plain(text: str) -> str:
    """Babel separates with no-break and thin spaces (U+00A0, U+202F, U+2009); compare them as plain."""
    return re.sub("[\u00a0\u202f\u2009]", " ", text)


@pytest.mark.parametrize(
    ("language", "money", "text"),
    [
        ("en", Money(80000, "GBP"), "£800"),
        ("en", Money(125050, "EUR"), "€1,250.50"),
        ("en", Money(20000, "SEK"), "200 SEK"),
        ("es", Money(80000, "EUR"), "800 €"),
        ("es", Money(125050, "EUR"), "1.250,50 €"),
        ("pt", Money(80000, "BRL"), "R$ 800"),
        ("pt", Money(125050, "BRL"), "R$ 1.250,50"),
        ("de", Money(125050, "EUR"), "1.250,50 €"),
        ("de", Money(20000, "CHF"), "200 CHF"),
        ("fr", Money(125050, "EUR"), "1 250,50 €"),
        ("it", Money(80000, "EUR"), "800 €"),
        ("it", Money(5000, "JPY"), "5.000 JPY"),
    ],
)
def test_money_is_written_as_the_language_writes_it(language: str, money: Money, text: str) -> None:
    assert _plain(LocalFormats(language).money(money)) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Your refund of €1,250.50 has been issued."),
        ("es", "Tu reembolso de 1.250,50 € ya está emitido."),
        ("de", "Deine Rückerstattung von 1.250,50 € ist raus."),
        ("fr", "Votre remboursement de 1 250,50 € a été effectué."),
    ],
)
def test_an_amount_inside_a_text_follows_the_text_s_language(language: str, text: str) -> None:
    rendered = Copy.for_language(language).render("appointment.refunded", amount=Money(125050, "EUR"))

    assert _plain(rendered).startswith(text)


@pytest.mark.parametrize(
    ("language", "day", "slot"),
    [
        ("en", "Sat 14 Mar", "Sat 14 Mar, 14:00-18:00"),
        ("es", "sáb, 14 mar", f"sáb, 14 mar, 14:00{DASH}18:00"),
        ("pt", "sáb., 14 de mar.", f"sáb., 14 de mar., 14:00 {DASH} 18:00"),
        ("de", "Sa., 14. März", f"Sa., 14. März, 14:00{DASH}18:00 Uhr"),
        ("fr", "sam. 14 mars", f"sam. 14 mars, 14:00 {DASH} 18:00"),
        ("it", "sab 14 mar", f"sab 14 mar, 14:00{DASH}18:00"),
    ],
)
def test_dates_and_sessions_are_written_as_the_language_writes_them(
    language: str, day: str, slot: str
) -> None:
    formats = LocalFormats(language)

    assert _plain(formats.day(date(2026, 3, 14))) == day
    assert _plain(formats.slot(SlotTime(datetime(2026, 3, 14, 14), datetime(2026, 3, 14, 18)))) == slot
    assert _plain(formats.moment(datetime(2026, 3, 14, 9, 30))) == f"{day}, 09:30"


def test_a_session_past_midnight_shows_only_its_start() -> None:
    overnight = SlotTime(datetime(2026, 3, 14, 20), datetime(2026, 3, 15, 2))

    assert LocalFormats("en").slot(overnight) == "Sat 14 Mar, 20:00"
    assert _plain(LocalFormats("de").slot(overnight)) == "Sa., 14. März, 20:00"


def test_a_slot_passed_to_a_text_is_written_in_the_text_s_language() -> None:
    slot = SlotTime(datetime(2026, 3, 14, 14), datetime(2026, 3, 14, 18))

    english = Copy.for_language("en").render("appointment.kept", slot_time=slot)
    german = Copy.for_language("de").render("appointment.kept", slot_time=slot)

    assert english == "No problem, you're still booked for Sat 14 Mar, 14:00-18:00. See you then!"
    assert (
        _plain(german) == f"Kein Problem, dein Termin bleibt: Sa., 14. März, 14:00{DASH}18:00 Uhr. Bis dann!"
    )
