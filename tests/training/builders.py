"""Builders for the training tests: the demo's training data, a trainee placed in a department, a
supervisor of that department (with an authenticator app, as supervisors need)."""

from datetime import date, timedelta

from django.utils import timezone

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of
from placements.hosting.models import Supervision
from placements.training.demo import training_load
from placements.training.models import Competency
from tests.applicants.staff_builders import make_application
from tests.factories import make_user
from tests.placements.helpers import department
from tests.totp import give_totp

P = PlacementStatus


def this_monday() -> date:
    return monday_of(timezone.localdate())


def load_training() -> None:
    training_load()


def make_trainee(
    programme,
    name: str = "tess",
    *,
    slug: str = "uzl-radiotherapy",
    start: date | None = None,
    weeks: int = 8,
    status: str = P.IN_PROGRESS,
    first_name: str = "Tess",
    last_name: str = "Trainee",
) -> Placement:
    """A trainee whose confirmed application has one placement in `slug` (by default started 2 weeks ago)."""
    user = make_user(name, first_name=first_name, last_name=last_name)
    application = make_application(programme, user, status=ApplicationStatus.CONFIRMED)
    return Placement.objects.create(
        application=application,
        department=department(slug),
        start_week=start or this_monday() - timedelta(weeks=2),
        weeks=weeks,
        status=status,
    )


def make_supervisor(name: str, *slugs: str):
    user = make_user(name, first_name=name.capitalize(), last_name="Supervisor")
    for slug in slugs:
        Supervision.objects.create(user=user, department=department(slug))
    give_totp(user)
    return user


def competency_of(placement: Placement, index: int = 0) -> Competency:
    return Competency.objects.filter(group__specialization_id=placement.department.specialization_id).order_by(
        "group__order", "order"
    )[index]
