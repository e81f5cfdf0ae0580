from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_conversation.domain.consultation import ConsultationSettings, advance, resume, start
from inkline_conversation.domain.consultation_events import (
    ConsultationCompleted,
    FieldAnswered,
    HandoverRequested,
    Inbound,
    LocationMessage,
    MediaMessage,
    OptOutRequested,
    SilentMessage,
    Step,
    TextMessage,
    UnsupportedMessage,
)
from inkline_conversation.domain.consultation_state import Answers, ConsultationState, Field
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.rules import MinimumCheck, MinimumSpendPolicy, SizeCategory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
SETTINGS = ConsultationSettings(
    artist_name="Kat",
    currency="GBP",
    minimum_spend=MinimumSpendPolicy(currency="GBP", default_minor=15000, by_country={"GB": 20000}),
    opt_out_words=("stopp",),
)
ENGLISH = Copy.load("en")


def send(state: ConsultationState, message: str | Inbound) -> Step:
    inbound = TextMessage(message) if isinstance(message, str) else message
    return advance(state, inbound, now=NOW, tz=LONDON, settings=SETTINGS)


def keys(step: Step) -> list[str]:
    return [reply.key for reply in step.replies]


def run(messages: list[str | Inbound]) -> list[Step]:
    steps = [start(now=NOW, tz=LONDON, settings=SETTINGS)]
    for message in messages:
        steps.append(send(steps[-1].state, message))
    return steps


def answered(step: Step) -> list[Field]:
    return [event.field for event in step.events if isinstance(event, FieldAnswered)]


def test_start_greets_and_asks_for_the_idea() -> None:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS)

    assert keys(step) == ["greeting.consultation", "question.idea"]
    assert step.state.current is Field.IDEA


def test_a_generic_opening_message_is_not_a_strike() -> None:
    step = start(
        now=NOW, tz=LONDON, settings=SETTINGS, first_message=TextMessage("Hiii can I book a tattoo?")
    )

    assert keys(step) == ["greeting.consultation", "question.idea"]
    assert step.state.strikes == {}


def test_an_opening_message_with_a_real_idea_is_used_as_the_answer() -> None:
    step = start(now=NOW, tz=LONDON, settings=SETTINGS, first_message=TextMessage("Hi! A moth on my sternum"))

    assert answered(step) == [Field.IDEA, Field.PLACEMENT]
    assert keys(step) == ["greeting.consultation", "question.size"]


def test_one_message_answering_idea_placement_and_size_skips_ahead() -> None:
    step = run(["a small rose on my wrist, about 5cm"])[-1]

    assert answered(step) == [Field.IDEA, Field.PLACEMENT, Field.SIZE]
    assert step.state.answers.size == Size(length_cm=5.0, approximate=True)
    assert step.state.current is Field.STYLE
    assert keys(step) == ["question.style"]


def test_a_full_consultation_completes_with_typed_answers_and_size_category() -> None:
    steps = run(
        [
            "Portrait of my dog Max 🐶",
            "left thigh",
            "about 15 x 10cm",
            "realism please",
            MediaMessage(media_id="wamid.photo1"),
            "£400-500",
            "I'm in Manchester",
            "weekends in March",
            "my ig is @max.and.me",
            "1",
        ]
    )
    assert keys(steps[-2]) == ["read_back.ask"], "the answers are read back before they are sent"
    assert not steps[-2].state.completed
    final = steps[-1]
    completed = [event for event in final.events if isinstance(event, ConsultationCompleted)]

    assert final.state.completed
    assert keys(final) == ["consultation.complete"]
    assert len(completed) == 1
    answers = completed[0].answers
    assert answers.idea == "Portrait of my dog Max 🐶"
    assert answers.placement == Placement(area="thigh", side="left", description="left thigh")
    assert answers.budget == BudgetRange(min_minor=40000, max_minor=50000, currency="GBP")
    assert answers.location == Location("Manchester", "GB")
    assert answers.references is not None
    assert answers.references.media_ids == ("wamid.photo1",)
    assert answers.instagram is not None
    assert answers.instagram.handle == "max.and.me"
    assert answers.windows[0].start == datetime(2025, 3, 1, tzinfo=LONDON)
    # 150cm² is medium; thigh and realism each push it up one.
    assert completed[0].size_category is SizeCategory.FULL_DAY
    assert completed[0].minimum_check is MinimumCheck.MEETS


def test_first_unparseable_answer_gets_a_repair_with_an_example() -> None:
    step = run(["a rose", "wrist", "not too big"])[-1]

    assert keys(step) == ["repair.size"]
    assert step.state.strikes == {Field.SIZE: 1}
    assert step.state.current is Field.SIZE
    assert "10x15cm" in ENGLISH.render(step.replies[0].key, **step.replies[0].params)


def test_second_unparseable_answer_on_the_same_field_hands_over_to_the_artist() -> None:
    step = run(["a rose", "wrist", "not too big", "like medium?"])[-1]

    assert step.events == (HandoverRequested(reason="two_strikes", field=Field.SIZE),)
    assert keys(step) == ["handover.two_strikes"]
    assert step.state.handed_over


def test_second_unparseable_budget_hands_over_to_artist() -> None:
    step = run(["a rose", "wrist", "5cm", "skip", "no", "idk", "cheap as possible"])[-1]

    assert step.events == (HandoverRequested(reason="two_strikes", field=Field.BUDGET),)


def test_strikes_are_counted_per_field_not_in_total() -> None:
    step = run(["a rose", "not sure", "wrist", "not too big"])[-1]

    assert keys(step) == ["repair.size"]
    assert step.state.strikes == {Field.PLACEMENT: 1, Field.SIZE: 1}
    assert not step.state.handed_over


def test_a_handed_over_consultation_stays_silent_until_resumed() -> None:
    handed_over = run(["a rose", "wrist", "not too big", "medium"])[-1].state

    silent = send(handed_over, "10cm")
    resumed = resume(handed_over, settings=SETTINGS)
    after = send(resumed.state, "10cm")

    assert silent.replies == ()
    assert silent.state == handed_over
    assert keys(resumed) == ["question.size"]
    assert resumed.state.strikes[Field.SIZE] == 0
    assert answered(after) == [Field.SIZE]


def test_intents_hand_over_at_any_point_with_their_reason() -> None:
    at_idea = run(["it's a cover-up of my ex's name"])[-1]
    at_budget = run(["a rose", "wrist", "5cm", "skip", "no", "any discount for students?"])[-1]

    assert at_idea.events == (HandoverRequested(reason="cover_up", field=Field.IDEA),)
    assert keys(at_idea) == ["handover.cover_up"]
    assert at_budget.events == (HandoverRequested(reason="haggle", field=Field.BUDGET),)


def test_data_deletion_outranks_other_intents_in_the_same_message() -> None:
    step = run(["I want a refund and delete my data"])[-1]

    assert step.events == (HandoverRequested(reason="data_deletion", field=Field.IDEA),)


def test_stop_opts_out_without_touching_the_answers() -> None:
    before = run(["a rose"])[-1].state
    step = send(before, "STOP please")

    assert step.events == (OptOutRequested(),)
    assert keys(step) == ["consent.opted_out"]
    assert step.state == before


def test_stop_inside_an_answer_is_just_an_answer() -> None:
    step = run(["lines that don't stop, wrapping my forearm"])[-1]

    assert answered(step) == [Field.IDEA, Field.PLACEMENT]


def test_localised_opt_out_word_from_settings_opts_out() -> None:
    assert send(ConsultationState(), "Stopp").events == (OptOutRequested(),)


def test_optional_fields_accept_skip_words() -> None:
    steps = run(["a rose", "wrist", "5cm", "nah", "no thanks"])

    assert steps[-2].events == (FieldAnswered(field=Field.STYLE, value=None),)
    assert steps[-1].state.answers.skipped == {Field.STYLE, Field.REFERENCES}
    assert keys(steps[-1]) == ["question.budget"]


def test_media_with_a_caption_answers_references_and_the_current_question() -> None:
    step = run([MediaMessage(media_id="m1", caption="this rose but on my ankle")])[-1]

    assert answered(step) == [Field.REFERENCES, Field.IDEA, Field.PLACEMENT]
    assert keys(step) == ["question.size"]


def test_media_without_caption_mid_question_is_kept_and_the_question_repeated() -> None:
    step = run(["a rose", MediaMessage(media_id="m1")])[-1]

    assert keys(step) == ["media.received", "question.placement"]
    assert step.state.answers.references is not None
    assert step.state.strikes == {}


def test_references_already_sent_are_not_asked_for_again() -> None:
    step = run([MediaMessage(media_id="m1", caption="a rose"), "wrist", "5cm", "fine line"])[-1]

    assert keys(step) == ["question.budget"]


def test_unsupported_messages_get_a_notice_and_no_strike() -> None:
    step = run(["a rose", UnsupportedMessage(kind="voice")])[-1]

    assert keys(step) == ["unsupported.message", "question.placement"]
    assert step.state.strikes == {}


def test_a_sticker_gets_its_own_short_reply_and_the_question_again() -> None:
    step = run(["a rose", UnsupportedMessage(kind="sticker")])[-1]

    assert keys(step) == ["unsupported.sticker", "question.placement"]
    assert "stickers" in ENGLISH.render("unsupported.sticker", **step.replies[0].params)
    assert step.state.strikes == {}


def test_a_reaction_is_read_without_a_reply_and_changes_nothing() -> None:
    before = run(["a rose"])[-1]
    step = send(before.state, SilentMessage(kind="reaction"))

    assert keys(step) == []
    assert step.state == before.state


TATE = LocationMessage(
    latitude=51.5076, longitude=-0.0994, name="Tate Modern", address="Bankside, London SE1 9TG"
)


def test_a_shared_location_answers_the_city_question() -> None:
    at_city = run(["a rose", "wrist", "5cm", "fine line", "skip", "£300"])[-1]
    assert keys(at_city) == ["question.location"]

    step = send(at_city.state, TATE)

    assert step.state.answers.location == Location("London", "GB")
    assert keys(step) == ["question.windows"]


def test_a_shared_location_at_another_question_is_kept_and_that_question_asked_again() -> None:
    step = run(["a rose", TATE])[-1]

    assert step.state.answers.location == Location("London", "GB")
    assert keys(step) == ["question.placement"]


def test_a_bare_pin_at_the_city_question_asks_for_the_city_in_words_without_a_strike() -> None:
    at_city = run(["a rose", "wrist", "5cm", "fine line", "skip", "£300"])[-1]

    step = send(at_city.state, LocationMessage(latitude=53.48, longitude=-2.24))

    assert keys(step) == ["unsupported.location"]
    assert step.state.answers.location is None
    assert step.state.strikes == {}


def test_an_answer_to_a_later_question_is_kept_and_the_current_one_asked_again() -> None:
    step = run(["a rose", "about 10cm"])[-1]

    assert answered(step) == [Field.SIZE]
    assert step.state.answers.placement is None
    assert keys(step) == ["question.placement"]
    assert step.state.strikes == {}


def test_budget_and_location_mentioned_early_are_not_asked_again() -> None:
    steps = run(["a rose on my ankle, 5cm, budget £300, I'm based in Leeds", "skip", "skip", "asap"])

    assert answered(steps[1]) == [Field.IDEA, Field.PLACEMENT, Field.SIZE, Field.BUDGET, Field.LOCATION]
    assert keys(steps[-1]) == ["question.instagram"]


def test_a_city_named_later_in_a_sentence_is_not_where_the_client_lives() -> None:
    # Roses is a town in Spain; "I am in love with roses" says nothing about where the client is.
    step = run(["a single rose with a thin stem, I am in love with roses"])[1]

    assert Field.LOCATION not in answered(step)
    assert step.state.answers.location is None


def test_a_city_of_several_words_right_after_the_cue_is_where_the_client_lives() -> None:
    step = run(["a single rose with a thin stem, I'm based in New York"])[1]

    assert step.state.answers.location == Location("New York", "US")


def test_below_minimum_budget_completes_with_the_minimum_in_the_reply() -> None:
    final = run(["a rose", "wrist", "5cm", "skip", "skip", "max 150", "London", "asap", "skip", "1"])[-1]
    completed = final.events[-1]

    assert isinstance(completed, ConsultationCompleted)
    assert completed.minimum_check is MinimumCheck.BELOW
    assert keys(final) == ["consultation.below_minimum"]
    assert final.replies[0].params["minimum"] == Money(20000, "GBP")
    assert "£200" in ENGLISH.render(final.replies[0].key, **final.replies[0].params)


def test_a_budget_in_another_currency_is_passed_on_unjudged() -> None:
    final = run(["a rose", "wrist", "5cm", "skip", "skip", "€150", "Paris", "asap", "skip", "1"])[-1]
    completed = final.events[-1]

    assert isinstance(completed, ConsultationCompleted)
    assert completed.answers.budget.currency == "EUR"
    assert completed.minimum_check is MinimumCheck.CURRENCY_MISMATCH
    assert keys(final) == ["consultation.complete"]


def test_a_completed_consultation_ignores_further_messages() -> None:
    final = run(["a rose", "wrist", "5cm", "skip", "skip", "£300", "London", "asap", "skip", "1"])[-1].state

    assert send(final, "oh and one more thing").replies == ()


def test_every_reply_in_a_conversation_renders_with_all_placeholders_filled() -> None:
    conversations: list[list[str | Inbound]] = [
        [
            "a rose",
            "wrist",
            "palm",
            "5cm",
            "?",
            "skip",
            MediaMessage("m"),
            "idk",
            "£300",
            "Narnia",
            "London",
            "hmm",
            "asap",
            "what?",
            "skip",
        ],
        ["a rose", UnsupportedMessage("sticker"), "STOP"],
        ["talk to a human"],
        ["START"],
    ]
    rendered = 0
    for conversation in conversations:
        for step in run(conversation):
            for reply in step.replies:
                text = ENGLISH.render(reply.key, **reply.params)
                assert "{" not in text
                rendered += 1

    assert rendered > 20


def test_advance_requires_a_timezone_aware_now() -> None:
    naive = datetime(2025, 2, 10, 9, 0)

    with pytest.raises(ValueError, match="timezone-aware"):
        advance(
            ConsultationState(answers=Answers()),
            TextMessage("a rose"),
            now=naive,
            tz=LONDON,
            settings=SETTINGS,
        )
