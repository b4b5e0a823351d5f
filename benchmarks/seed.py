"""The bench's data set: the demo catalogue plus three generated programmes (5 programmes, 60
departments in all) and a realistic volume of applications (benchmarks/seed_history.py), written
with bulk inserts from a fixed seed.

Every application has its applicant and profile, its components, one document row per document the
programme asks for (metadata only: no file is written), the automatic checks, the events of its
history, reviews with rubric scores once it is past "submitted", sometimes an internal note, the
e-mails, and placements once accepted. One applicant has ten applications (the dashboard), one
coordinator coordinates the two demo programmes (the review queue, the staff application page and
the capacity calendar).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationComponent, Document, Event, Review, ReviewScore
from applicants.services.reviews import rubric_load
from benchmarks.seed_history import COHORT, PASSWORD, ROTATION, ApplicationsGenerator, make_user
from placements.allocation.models import CapacityOverride, Placement, monday_of
from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.models import Department, Offering, Programme
from portal.models import User

SEED_VERSION = "3"
DEMO_FILE = Path(settings.BASE_DIR) / "placements" / "fixtures" / "demo_catalogue.json"
COORDINATOR_EMAIL = "bench.coordinator@bench.example"
__all__ = ["COHORT", "ROTATION", "Seeded", "Volume", "seed", "seeded"]


@dataclass(frozen=True)
class Volume:
    applications: int
    # Shares of the applications per programme: the two demo programmes first, then the generated ones.
    shares: tuple[int, ...] = (40, 30, 10, 10, 10)
    seed: int = 2027

    @property
    def key(self) -> str:
        return f"v{SEED_VERSION}-{self.applications}-{'.'.join(map(str, self.shares))}-{self.seed}"


@dataclass(frozen=True)
class Seeded:
    """What the phases need to find again: primary keys and natural keys only."""

    coordinator_id: int
    applicant_id: int
    programme_slugs: list[str]
    staff_application_uuid: str
    search_term: str
    counts: dict[str, int]


def seeded(volume: Volume) -> Seeded | None:
    """The earlier seed of this database if it was made for `volume` by this version of the generator."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute("SELECT value FROM bench_seed WHERE key = %s", [volume.key])
        row = cursor.fetchone()
    return Seeded(**json.loads(row[0])) if row else None


def _mark(volume: Volume, result: Seeded) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute("INSERT INTO bench_seed (key, value) VALUES (%s, %s)", [volume.key, json.dumps(result.__dict__)])


def _catalogue_data() -> dict:
    """The demo catalogue plus three generated institutions' programmes, 15 departments each."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    names = ("Cardiology", "Oncology", "Neurology", "Surgery", "Paediatrics")
    for n in range(1, 4):
        institution = f"Bench University Hospital {n}"
        data["institutions"].append(
            {"name": institution, "short_name": f"BUH{n}", "city": "Benchville", "country": "NL"}
        )
        departments = []
        for d in range(15):
            slug = f"buh{n}-dept-{d + 1:02d}"
            departments.append(slug)
            data["departments"].append(
                {
                    "slug": slug,
                    "name": f"{names[d % 5]} unit {d // 5 + 1}",
                    "institution": institution,
                    "specialization": ("radiology", "radiotherapy", "nuclear-medicine")[d % 3],
                    "weekly_capacity": 2 + d % 4,
                }
            )
        data["programmes"].append(
            {
                "slug": f"bench-observership-{n}",
                "title": f"Clinical observership at Bench University Hospital {n}",
                "provider": institution,
                "reference_prefix": f"BUH{n}",
                "summary": "Observe clinical practice in up to three units of your choice.",
                "description": "A generated programme for the benchmark.\n\nIt has fifteen units.",
                "intake_mode": "rolling",
                "lead_time_months": 2,
                "min_total_weeks": 2,
                "max_total_weeks": 12,
                "published": True,
                "documents": [{"type": "cv"}, {"type": "motivation-letter"}, {"type": "english-proof"}],
                "questions": [{"text": "Are you a medical student?", "kind": "yes_no", "must_answer_yes": True}],
                "rubric": data["programmes"][1]["rubric"],
                "groups": [
                    {
                        "title": "Units",
                        "min_choices": 1,
                        "max_choices": 3,
                        "patterns": [],
                        "offerings": [{"department": slug, "weeks_min": 1, "weeks_max": 8} for slug in departments],
                    }
                ],
            }
        )
    return data


def _catalogue() -> list[Programme]:
    data = _catalogue_data()
    programmes = catalogue_load(data=data)
    for row in data["programmes"]:
        rubric_load(programme=Programme.objects.get(slug=row["slug"]), criteria=row["rubric"])
    # Two holiday weeks closed or halved in every department.
    this_monday = monday_of(timezone.localdate())
    overrides = [
        CapacityOverride(department_id=o.department_id, week=this_monday + timedelta(weeks=week), capacity=capacity)
        for o in Offering.objects.select_related("department")
        for week, capacity in ((30, 0), (31, o.department.weekly_capacity // 2))
    ]
    CapacityOverride.objects.bulk_create(overrides, ignore_conflicts=True)
    return programmes


def _staff(programmes: list[Programme]) -> tuple[User, list[User]]:
    coordinator = make_user(COORDINATOR_EMAIL, "Carla", "Coordinator", password=PASSWORD)
    # Staff must have an authenticator app (MFA_REQUIRED_FOR_STAFF): the bench keeps that rule on.
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    reviewers = [coordinator, *(make_user(f"reviewer{i}@bench.example", "Rita", f"Reviewer {i}") for i in (1, 2, 3))]
    for programme in programmes:
        programme.coordinators.add(*reviewers[1:])
        if programme.slug in (ROTATION, COHORT):
            programme.coordinators.add(coordinator)
    return coordinator, reviewers


@transaction.atomic
def seed(volume: Volume) -> Seeded:
    """Fill an empty, migrated database; returns what the phases look up."""
    programmes = _catalogue()
    coordinator, reviewers = _staff(programmes)
    generator = ApplicationsGenerator(volume.applications, volume.shares, volume.seed)
    applicant, staff_uuid = generator.applications(programmes, reviewers)
    counts = {
        "programmes": Programme.objects.count(),
        "departments": Department.objects.count(),
        "applications": Application.objects.count(),
        "components": ApplicationComponent.objects.count(),
        "documents": Document.objects.count(),
        "events": Event.objects.count(),
        "reviews": Review.objects.count(),
        "review_scores": ReviewScore.objects.count(),
        "placements": Placement.objects.count(),
        "users": User.objects.count(),
    }
    # A first and last name, as a coordinator types it: each word must match (a handful of rows).
    first, last = (
        Application.objects.filter(programme__coordinators=coordinator)
        .exclude(status=ApplicationStatus.DRAFT)
        .exclude(applicant=applicant)
        .order_by("pk")
        .values_list("applicant__first_name", "applicant__last_name")[0]
    )
    result = Seeded(
        coordinator_id=coordinator.pk,
        applicant_id=applicant.pk,
        programme_slugs=[p.slug for p in programmes],
        staff_application_uuid=staff_uuid,
        search_term=f"{first} {last}".lower(),
        counts=counts,
    )
    _mark(volume, result)
    return result
