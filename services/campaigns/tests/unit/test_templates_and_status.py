import pytest

from inkline_campaigns.domain.campaign_status import Action, CampaignStatus, TransitionError, transition
from inkline_campaigns.domain.templates import (
    FieldParameter,
    FixedParameter,
    Parameter,
    Template,
    TemplateMismatchError,
    check_fit,
    render_parameters,
)

TOUR = Template("tour_update", ("en", "de"), ("first name", "city"))


def test_a_campaign_with_too_few_parameters_cannot_be_launched() -> None:
    with pytest.raises(
        TemplateMismatchError, match=r"takes 2 parameter\(s\) \(first name, city\); the campaign gives 1"
    ):
        check_fit(TOUR, name="tour_update", language="en", parameters=[FieldParameter(field="profile_name")])


def test_a_language_the_template_is_not_approved_in_is_refused() -> None:
    with pytest.raises(TemplateMismatchError, match="approved in en, de, not 'fr'"):
        check_fit(TOUR, name="tour_update", language="fr", parameters=[])


def test_an_unregistered_template_is_refused() -> None:
    with pytest.raises(TemplateMismatchError, match="not in the registry"):
        check_fit(None, name="spam", language="en", parameters=[])


def test_parameters_come_from_contact_fields_with_fallbacks() -> None:
    parameters: list[Parameter] = [
        FieldParameter(field="profile_name", fallback="there"),
        FixedParameter(value="Berlin"),
    ]

    assert render_parameters(parameters, {"profile_name": None}) == ["there", "Berlin"]
    assert render_parameters([FieldParameter(field="city")], {"city": None}) is None


def test_campaign_lifecycle_allows_pause_and_resume_but_not_relaunch() -> None:
    assert transition(CampaignStatus.DRAFT, Action.LAUNCH) is CampaignStatus.SCHEDULED
    assert transition(CampaignStatus.SENDING, Action.PAUSE) is CampaignStatus.PAUSED
    assert transition(CampaignStatus.PAUSED, Action.RESUME) is CampaignStatus.SCHEDULED
    with pytest.raises(TransitionError, match="a done campaign cannot be launched"):
        transition(CampaignStatus.DONE, Action.LAUNCH)
