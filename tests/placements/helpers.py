"""Builders for the placement tests: applications arranged directly in a given state with chosen
departments, and placements (arranged rows; the services under test make their own)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationComponent
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of
from placements.catalogue.models import Department, Offering, Programme
from tests.applicants.builders import make_applicant

S = ApplicationStatus
_numbers = itertools.count(1)


def weeks_ahead(count: int) -> date:
    """The Monday `count` weeks after this week's Monday (the freed-seat logic looks ahead only)."""
    return monday_of(timezone.localdate()) + timedelta(weeks=count)


def department(slug: str) -> Department:
    return Department.objects.get(slug=slug)


def make_application(
    programme: Programme,
    *,
    status: str = S.ACCEPTED,
    start: date,
    weeks: int = 4,
    components: tuple[tuple[str, int], ...] = (("umcg-thoracic", 4),),
    score: str | None = None,
    first: str = "Ana",
    last: str = "Silva",
    submitted_days_ago: int | None = None,
) -> Application:
    """An application arranged in `status`, asking for `weeks` weeks from `start` in `components`."""
    number = next(_numbers)
    applicant = make_applicant(f"applicant{number}-{programme.pk}@example.org", first_name=first, last_name=last)
    application = Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=status,
        reference=f"{programme.reference_prefix}-2027-{number:04d}",
        start_date=start,
        end_date=start + timedelta(weeks=weeks, days=-3),
        submitted_at=timezone.now() - timedelta(days=submitted_days_ago if submitted_days_ago is not None else number),
        review_score=Decimal(score) if score else None,
        review_count=1 if score else 0,
    )
    for rank, (slug, component_weeks) in enumerate(components, start=1):
        ApplicationComponent.objects.create(
            application=application,
            offering=Offering.objects.get(programme=programme, department__slug=slug),
            weeks=component_weeks,
            rank=rank,
        )
    return application


def place(
    application: Application,
    slug: str,
    start: date,
    weeks: int = 1,
    status: str = PlacementStatus.OFFERED,
    deadline=None,
) -> Placement:
    return Placement.objects.create(
        application=application,
        department=department(slug),
        start_week=start,
        weeks=weeks,
        status=status,
        offer_deadline=deadline,
    )
