"""How a proposal differs from the request (placements.allocation.rules.proposal_departure), and
publishing "only as requested": a proposal that differs waits for a coordinator's own confirmation.

Personas:
- carol: coordinates the rotation programme; publishes its offers.
"""

from datetime import timedelta

import pytest

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.allocation.rules import NOT_AS_REQUESTED, NOT_FIRST_CHOICE, proposal_departure, publishes_with_all
from placements.allocation.services.offers import NotAsRequested, offer_publish
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus


def stay(*blocks) -> list[Placement]:
    """Unsaved placements: (department slug, first Monday, weeks) each."""
    return [Placement(department=department(slug), start_week=monday, weeks=weeks) for slug, monday, weeks in blocks]


def departure_of(application, placements) -> str:
    return proposal_departure(application, placements, application.components.select_related("offering"))


ROTATION_CASES = {
    "as asked": (("umcg-thoracic", 0, 2), ("umcg-abdominal", 2, 2)),
    "as asked, in another order": (("umcg-abdominal", 0, 2), ("umcg-thoracic", 2, 2)),
    "another section": (("umcg-thoracic", 0, 2), ("umcg-paediatric", 2, 2)),
    "other lengths": (("umcg-thoracic", 0, 3), ("umcg-abdominal", 3, 1)),
    "nuclear medicine added": (("umcg-thoracic", 0, 2), ("umcg-abdominal", 2, 1), ("umcg-nuclear-medicine", 3, 1)),
    "other weeks": (("umcg-thoracic", 1, 2), ("umcg-abdominal", 3, 2)),
}


@pytest.mark.parametrize("case", sorted(ROTATION_CASES))
def test_a_rotation_is_as_requested_only_with_every_section_for_its_weeks_in_the_requested_period(rotation, case):
    start = weeks_ahead(20)
    application = make_application(
        rotation, start=start, weeks=4, components=(("umcg-thoracic", 2), ("umcg-abdominal", 2))
    )
    placements = stay(*((slug, start + timedelta(weeks=at), weeks) for slug, at, weeks in ROTATION_CASES[case]))

    departure = departure_of(application, placements)

    assert departure == ("" if case.startswith("as asked") else NOT_AS_REQUESTED)
    assert publishes_with_all(departure) is case.startswith("as asked")


def test_a_cohort_placement_in_a_listed_department_for_the_whole_period_is_as_requested(cohort):
    start = weeks_ahead(20)
    application = make_application(
        cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30), ("uzl-radiotherapy", 30))
    )

    assert departure_of(application, stay(("azg-radiotherapy", start, 30))) == ""
    assert departure_of(application, stay(("uzl-radiotherapy", start, 30))) == NOT_FIRST_CHOICE
    assert departure_of(application, stay(("uzl-radiology", start, 30))) == NOT_AS_REQUESTED
    assert departure_of(application, stay(("azg-radiotherapy", start, 20))) == NOT_AS_REQUESTED
    assert publishes_with_all(NOT_FIRST_CHOICE) is True


def test_publishing_only_as_requested_refuses_a_proposal_that_differs_and_changes_nothing(rotation, carol):
    start = weeks_ahead(20)
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-cardiovascular", 2),))
    proposal = place(application, "umcg-paediatric", start, weeks=2, status=P.PROPOSED)

    with pytest.raises(NotAsRequested):
        offer_publish(application=application, by=carol, only_as_requested=True)

    proposal.refresh_from_db()
    application.refresh_from_db()
    assert (proposal.status, application.status, application.events.count()) == (P.PROPOSED, S.ACCEPTED, 0)
    offer_publish(application=application, by=carol)  # a coordinator's own confirmation publishes it
    proposal.refresh_from_db()
    assert proposal.status == P.OFFERED


def test_publishing_only_as_requested_offers_a_proposal_as_asked(rotation, carol):
    start = weeks_ahead(20)
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-cardiovascular", 2),))
    place(application, "umcg-cardiovascular", start, weeks=2, status=P.PROPOSED)

    offer_publish(application=application, by=carol, only_as_requested=True)

    application.refresh_from_db()
    assert application.status == S.OFFERED
