"""A stay that started, ended or was interrupted still sets when its documents are purged: its last
placement's end, as for a stay still only confirmed."""

import pytest

from applicants.enums import ApplicationStatus
from applicants.privacy.retention import applications_due_for_purge
from placements.allocation.enums import PlacementStatus
from tests.applicants.test_privacy_retention import finished, with_stay_ended

pytestmark = pytest.mark.django_db
P = PlacementStatus


@pytest.mark.parametrize("status", [P.COMPLETED, P.INTERRUPTED, P.IN_PROGRESS])
def test_the_stay_ends_with_its_last_placement_whatever_became_of_it(rotation, status):
    over = with_stay_ended(finished(rotation, ApplicationStatus.CONFIRMED, months_ago=15), months_ago=13)
    recent = with_stay_ended(finished(rotation, ApplicationStatus.CONFIRMED, months_ago=15), months_ago=2)
    for application in (over, recent):
        application.placements.update(status=status)

    assert applications_due_for_purge() == [over.pk]
