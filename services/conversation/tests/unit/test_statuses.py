import pytest

from inkline_conversation.domain.statuses import (
    ACTIONS,
    TRANSITIONS,
    ActionKind,
    InvalidTransition,
    LeadStatus,
    action_allowed,
    apply_action,
    can_transition,
    transition,
)


def test_the_happy_path_from_new_to_booked_is_allowed() -> None:
    path = [
        LeadStatus.CONSULTING,
        LeadStatus.QUALIFIED,
        LeadStatus.APPROVED,
        LeadStatus.SLOTS_OFFERED,
        LeadStatus.SLOT_HELD,
        LeadStatus.DEPOSIT_REQUESTED,
        LeadStatus.DEPOSIT_PAID,
        LeadStatus.BOOKED,
    ]
    status = LeadStatus.NEW
    for target in path:
        status = transition(status, target)

    assert status is LeadStatus.BOOKED


def test_skipping_approval_is_rejected_with_both_statuses_in_the_error() -> None:
    with pytest.raises(InvalidTransition) as error:
        transition(LeadStatus.QUALIFIED, LeadStatus.SLOTS_OFFERED)

    assert error.value.current is LeadStatus.QUALIFIED
    assert error.value.target is LeadStatus.SLOTS_OFFERED
    assert "qualified" in str(error.value)


def test_cancelled_is_terminal() -> None:
    assert TRANSITIONS[LeadStatus.CANCELLED] == frozenset()
    with pytest.raises(InvalidTransition):
        transition(LeadStatus.CANCELLED, LeadStatus.CONSULTING)


def test_an_expired_hold_returns_to_slots_offered() -> None:
    assert transition(LeadStatus.SLOT_HELD, LeadStatus.SLOTS_OFFERED) is LeadStatus.SLOTS_OFFERED


def test_every_status_appears_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(LeadStatus)


def test_opted_out_is_not_a_status() -> None:
    assert "opted_out" not in {status.value for status in LeadStatus}


def test_every_action_with_a_fixed_target_is_a_legal_transition_from_each_allowed_status() -> None:
    for action, (allowed, target) in ACTIONS.items():
        for status in allowed:
            if target is not None:
                assert apply_action(action, status) is target, (action, status)


def test_approve_is_not_allowed_once_booked() -> None:
    assert not action_allowed(ActionKind.APPROVE, LeadStatus.BOOKED)
    with pytest.raises(InvalidTransition):
        apply_action(ActionKind.APPROVE, LeadStatus.BOOKED)


def test_take_over_is_allowed_anywhere_open_but_not_twice() -> None:
    assert action_allowed(ActionKind.TAKE_OVER, LeadStatus.CONSULTING)
    assert action_allowed(ActionKind.TAKE_OVER, LeadStatus.DEPOSIT_REQUESTED)
    assert not action_allowed(ActionKind.TAKE_OVER, LeadStatus.NEEDS_ARTIST)
    assert not action_allowed(ActionKind.TAKE_OVER, LeadStatus.CANCELLED)


def test_resume_bot_needs_a_destination_and_only_works_after_a_takeover() -> None:
    assert apply_action(ActionKind.RESUME_BOT, LeadStatus.NEEDS_ARTIST, resume_to=LeadStatus.CONSULTING) is (
        LeadStatus.CONSULTING
    )
    with pytest.raises(InvalidTransition):
        apply_action(ActionKind.RESUME_BOT, LeadStatus.NEEDS_ARTIST)
    with pytest.raises(InvalidTransition):
        apply_action(ActionKind.RESUME_BOT, LeadStatus.QUALIFIED, resume_to=LeadStatus.CONSULTING)


def test_a_no_show_can_only_be_marked_on_a_booked_lead_and_is_final() -> None:
    assert apply_action(ActionKind.NO_SHOW, LeadStatus.BOOKED) is LeadStatus.NO_SHOW
    for status in set(LeadStatus) - {LeadStatus.BOOKED}:
        assert not can_transition(status, LeadStatus.NO_SHOW), status
        assert not action_allowed(ActionKind.NO_SHOW, status), status
    assert TRANSITIONS[LeadStatus.NO_SHOW] == frozenset()
    assert not action_allowed(ActionKind.TAKE_OVER, LeadStatus.NO_SHOW)
