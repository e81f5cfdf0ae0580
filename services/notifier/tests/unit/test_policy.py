from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inkline_contracts.events.notify import (
    TEMPLATE_PARAMETER_MAX_LENGTH,
    ButtonsContent,
    Category,
    Content,
    ListContent,
    ListRow,
    ReplyButton,
    TemplateContent,
    TextContent,
)
from inkline_notifier.domain.policy import Contact, Refuse, SendAs, Template, decide

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
TEMPLATES = {"slot_choice": Template("inkline_slot_options", "en_GB")}
DEFAULT = Template("inkline_update", "en")


def contact(hours_since_last_message: float | None, *, opted_out: bool = False) -> Contact:
    last = None if hours_since_last_message is None else NOW - timedelta(hours=hours_since_last_message)
    return Contact(last_inbound_at=last, opted_out=opted_out)


def test_free_form_text_goes_as_it_is_inside_the_window() -> None:
    text = TextContent(body="Which day suits you?")

    decision = decide(
        text,
        category=Category.SERVICE,
        purpose="consult_question",
        contact=contact(23.9),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
    )

    assert decision == SendAs(text)


def test_outside_the_window_the_purposes_template_carries_the_text_in_one_line() -> None:
    choice = ListContent(
        body="Pick a slot:\n\nboth are 4 hours",
        button="Slots",
        rows=[ListRow(id="s1", title="Fri 12 Mar 11:00"), ListRow(id="s2", title="Sat 13 Mar 11:00")],
    )

    decision = decide(
        choice,
        category=Category.UTILITY,
        purpose="slot_choice",
        contact=contact(24.0),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
    )

    assert decision == SendAs(
        TemplateContent(
            name="inkline_slot_options",
            language="en_GB",
            body_parameters=["Pick a slot: both are 4 hours - Fri 12 Mar 11:00 / Sat 13 Mar 11:00"],
        ),
        fallback=True,
    )


def test_a_purpose_without_its_own_template_falls_back_to_the_default_one() -> None:
    buttons = ButtonsContent(body="Still keen?", buttons=[ReplyButton(id="y", title="Yes")])

    decision = decide(
        buttons,
        category=Category.SERVICE,
        purpose="nudge",
        contact=contact(None),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
    )

    assert isinstance(decision, SendAs)
    assert decision.content == TemplateContent(name="inkline_update", body_parameters=["Still keen? - Yes"])


def test_without_any_template_a_message_outside_the_window_is_refused() -> None:
    decision = decide(
        TextContent(body="hello"),
        category=Category.SERVICE,
        purpose="nudge",
        contact=contact(30),
        now=NOW,
        templates={},
        default_template=None,
    )

    assert decision == Refuse("outside_window")


def test_meta_saying_the_window_is_closed_forces_the_template_even_inside_our_window() -> None:
    decision = decide(
        TextContent(body="hello"),
        category=Category.SERVICE,
        purpose="slot_choice",
        contact=contact(1),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
        force_template=True,
    )

    assert isinstance(decision, SendAs)
    assert decision.fallback


def test_marketing_needs_an_approved_template_and_a_contact_who_has_not_opted_out() -> None:
    template = TemplateContent(name="spring_flash", body_parameters=["Sam"])

    def marketing(content: Content, who: Contact) -> SendAs | Refuse:
        return decide(
            content,
            category=Category.MARKETING,
            purpose="campaign",
            contact=who,
            now=NOW,
            templates=TEMPLATES,
            default_template=DEFAULT,
        )

    refused = marketing(template, contact(1, opted_out=True))
    free_form = marketing(TextContent(body="Flash sale!"), contact(1))
    allowed = marketing(template, contact(None))

    assert refused == Refuse("opted_out")
    assert free_form == Refuse("marketing_requires_template")
    assert allowed == SendAs(template)


def test_a_long_text_is_cut_to_metas_template_parameter_limit() -> None:
    decision = decide(
        TextContent(body="x" * 3000),
        category=Category.SERVICE,
        purpose="slot_choice",
        contact=contact(None),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
    )

    assert isinstance(decision, SendAs)
    assert isinstance(decision.content, TemplateContent)
    assert len(decision.content.body_parameters[0]) == 1024


def _fallback_parameter(body: str) -> str:
    decision = decide(
        TextContent(body=body),
        category=Category.SERVICE,
        purpose="artist_lead_summary",
        contact=contact(None),
        now=NOW,
        templates=TEMPLATES,
        default_template=DEFAULT,
    )
    assert isinstance(decision, SendAs)
    assert isinstance(decision.content, TemplateContent)
    return decision.content.body_parameters[0]


def test_a_cut_never_leaves_half_a_link_in_the_template_parameter() -> None:
    short_link = "https://artist.example/actions/" + "a" * 43
    # A signed media link longer than a fifth of the limit, so no nearby word break saves it.
    long_link = "https://artist.example/media/123?expires=1&signature=" + "b" * 300
    for link in (short_link, long_link):
        body = "Idea: " + "rose " * 190 + f"\nApprove: {link}\nReject: {link}"

        parameter = _fallback_parameter(body)

        assert len(parameter) <= TEMPLATE_PARAMETER_MAX_LENGTH
        assert parameter.endswith("…")
        assert all(word.rstrip("…") == link for word in parameter.split() if word.startswith("http"))


def test_a_summary_within_the_limit_reaches_the_template_whole_on_one_line() -> None:
    body = "New lead: Sam\nIdea: a rose\n\nApprove: https://artist.example/actions/abc\n\tChat:     https://wa.me/1"

    assert _fallback_parameter(body) == (
        "New lead: Sam Idea: a rose Approve: https://artist.example/actions/abc Chat: https://wa.me/1"
    )


TRANSLATED = {
    "consult_question": Template(
        "inkline_consult_followup", "en", translations=frozenset({"en", "es", "pt_BR", "de", "fr", "it"})
    )
}


def _outside_window_template(language: str | None) -> TemplateContent:
    decision = decide(
        TextContent(body="¿Más o menos de qué tamaño?"),
        category=Category.SERVICE,
        purpose="consult_question",
        contact=contact(30),
        now=NOW,
        templates=TRANSLATED,
        default_template=DEFAULT,
        language=language,
    )
    assert isinstance(decision, SendAs)
    assert isinstance(decision.content, TemplateContent)
    return decision.content


def test_outside_the_window_the_template_goes_in_the_reader_s_language() -> None:
    assert _outside_window_template("es").language == "es"
    assert _outside_window_template("de").language == "de"


def test_portuguese_goes_as_meta_s_pt_br_never_a_bare_pt() -> None:
    assert _outside_window_template("pt").language == "pt_BR"


def test_a_language_without_an_approved_translation_gets_the_template_s_own() -> None:
    assert _outside_window_template("nl").language == "en"
    assert _outside_window_template(None).language == "en"
