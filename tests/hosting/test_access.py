"""A supervisor's scope: their departments and those departments' sections, and the placements in
them that a host takes part in; never another department's.

Personas:
- sam: supervises UMCG radiology (the parent of the rotation's sections).
- olga: supervises nuclear medicine only.
- carol: coordinator of the rotation programme; supervises nothing.
"""

import pytest
from django.http import Http404
from django.utils import timezone

from placements.allocation.enums import PlacementStatus
from placements.hosting.access import (
    is_supervisor,
    placement_for_supervisor_or_404,
    placements_for_supervisor,
    supervised_departments,
)
from placements.hosting.enums import ConfirmationStatus
from placements.hosting.models import HostConfirmation, Supervision
from tests.factories import make_user
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
P = PlacementStatus


@pytest.fixture
def sam(rotation):
    user = make_user("sam")
    Supervision.objects.create(user=user, department=department("umcg-radiology"))
    return user


@pytest.fixture
def olga(rotation):
    user = make_user("olga")
    Supervision.objects.create(user=user, department=department("umcg-nuclear-medicine"))
    return user


def test_a_supervisor_of_a_department_supervises_its_sections(sam, olga):
    slugs = set(supervised_departments(sam).values_list("slug", flat=True))

    assert "umcg-radiology" in slugs
    assert "umcg-thoracic" in slugs
    assert "umcg-nuclear-medicine" not in slugs
    assert set(supervised_departments(olga).values_list("slug", flat=True)) == {"umcg-nuclear-medicine"}


def test_only_users_with_a_supervision_are_supervisors(sam, carol):
    assert is_supervisor(sam) is True
    assert is_supervisor(carol) is False


def test_placements_in_scope_by_state_and_department(sam, olga, rotation):
    application = make_application(rotation, start=weeks_ahead(10))
    shown = {status: place(application, "umcg-thoracic", weeks_ahead(10), status=status) for status in P.values}
    asked = place(application, "umcg-abdominal", weeks_ahead(11), status=P.PROPOSED)
    HostConfirmation.objects.create(placement=asked, requested_at=timezone.now(), status=ConfirmationStatus.REQUESTED)

    visible = set(placements_for_supervisor(sam))

    expected = {shown[s] for s in (P.OFFERED, P.CONFIRMED, P.IN_PROGRESS, P.COMPLETED, P.INTERRUPTED)} | {asked}
    assert visible == expected
    assert list(placements_for_supervisor(olga)) == []
    with pytest.raises(Http404):
        placement_for_supervisor_or_404(olga, shown[P.CONFIRMED].uuid)
    assert placement_for_supervisor_or_404(sam, shown[P.CONFIRMED].uuid) == shown[P.CONFIRMED]
