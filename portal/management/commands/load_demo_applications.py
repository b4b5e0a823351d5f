"""Accepted demo applications for the two demo programmes, so that the planner has something to plan.

Run after `load_demo` (the catalogue, rubrics and coordinators must exist). Safe to run again: an
applicant who already has an application for the programme is skipped. The applicants cannot sign
in (unusable passwords); their dates lie beyond the programmes' lead time, counted from today.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applicants.enums import ApplicationStatus, EnglishLevel, EventKind, StudyPhase
from applicants.models import ApplicantProfile, Application, ApplicationComponent, Event
from applicants.services.applications import _next_reference
from applicants.services.reviews import review_save
from placements.allocation.models import monday_of
from placements.catalogue.models import Offering, Programme
from portal.models import User

S = ApplicationStatus
ROTATION = "clinical-observership-radiology-nuclear-medicine"
COHORT = "postgraduate-certificate-medical-physics"


SLUGS = {
    "neuro": "umcg-neuro-head-neck",
    "thorax": "umcg-thoracic",
    "abdomen": "umcg-abdominal",
    "msk": "umcg-musculoskeletal",
    "cardio": "umcg-cardiovascular",
    "ir": "umcg-interventional",
    "paed": "umcg-paediatric",
    "breast": "umcg-breast",
    "nm": "umcg-nuclear-medicine",
    "uzl-rt": "uzl-radiotherapy",
    "uzl-rad": "uzl-radiology",
    "uzl-nm": "uzl-nuclear-medicine",
    "azg-rt": "azg-radiotherapy",
    "azg-rad": "azg-radiology",
}
EIGHT = "neuro:1 thorax:1 abdomen:1 msk:1 cardio:1 ir:1 paed:1 breast:1"


@dataclass(frozen=True)
class Demo:
    number: int  # applicant<number>@portal.example
    first: str
    last: str
    nationality: str
    home: str
    offset: int  # weeks after the programme's first demo Monday
    request: str  # "section:weeks ...", most wanted first
    scores: str  # one digit (1-5) per rubric criterion

    @property
    def components(self) -> list[tuple[str, int]]:
        return [(SLUGS[key], int(weeks)) for key, weeks in (part.split(":") for part in self.request.split())]


# Overlapping requests: three "a week in each section" rotations share the one-seat sections with
# longer stays, so the planner has to order the weeks (and cannot give everyone exactly their wish).
UMCG = [
    Demo(1, "Sofia", "Marques", "Portuguese", "University of Porto", 0, EIGHT, "5545"),
    Demo(2, "Jonas", "Becker", "German", "Heidelberg University", 0, EIGHT + " nm:1", "4444"),
    Demo(3, "Aisha", "Okafor", "Nigerian", "University of Lagos", 1, EIGHT, "4443"),
    Demo(4, "Mateo", "García", "Spanish", "University of Valencia", 0, "thorax:4", "5444"),
    Demo(5, "Elif", "Yılmaz", "Turkish", "Hacettepe University", 2, "neuro:4 nm:2", "4434"),
    Demo(6, "Lukas", "Novák", "Czech", "Charles University", 0, "abdomen:3 msk:3", "4444"),
    Demo(7, "Chiara", "Rossi", "Italian", "University of Bologna", 3, "cardio:3 thorax:2", "3343"),
    Demo(8, "Oskar", "Nilsson", "Swedish", "Karolinska Institutet", 4, "breast:2 nm:1", "4334"),
    Demo(9, "Hana", "Kobayashi", "Japanese", "Kyoto University", 6, "paed:2 abdomen:2", "5445"),
    Demo(10, "Amir", "Rahimi", "Iranian", "Shiraz University", 8, "neuro:4 msk:4 nm:2", "4443"),
    Demo(11, "Zofia", "Kowalska", "Polish", "Jagiellonian University", 10, "ir:2", "3333"),
    Demo(12, "Nikos", "Papadopoulos", "Greek", "University of Athens", 2, "cardio:4", "3333"),
]

# One host department each for 30 weeks; AZ Groeninge's radiotherapy has one seat and two candidates.
LEUVEN = [
    Demo(21, "Emma", "Claes", "Belgian", "KU Leuven", 0, "uzl-rt:30", "5454"),
    Demo(22, "Ruben", "Maes", "Belgian", "Ghent University", 0, "uzl-rt:30", "4444"),
    Demo(23, "Noor", "Jacobs", "Dutch", "Maastricht University", 0, "azg-rt:30", "4454"),
    Demo(24, "Lars", "Willems", "Belgian", "University of Antwerp", 0, "azg-rt:30", "4343"),
    Demo(25, "Ines", "Dubois", "French", "Université de Lille", 0, "uzl-rad:30", "4444"),
    Demo(26, "Piotr", "Zieliński", "Polish", "Warsaw University of Technology", 0, "uzl-nm:30", "3433"),
    Demo(27, "Maria", "Santos", "Portuguese", "University of Lisbon", 0, "uzl-nm:30", "5545"),
    Demo(28, "Tom", "Peeters", "Belgian", "KU Leuven", 0, "azg-rad:30", "3334"),
]


def _applicant(demo: Demo) -> User:
    email = f"applicant{demo.number}@portal.example"
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": demo.first, "last_name": demo.last})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ApplicantProfile.objects.create(
            user=user,
            nationality=demo.nationality,
            home_institution=demo.home,
            study_phase=StudyPhase.MASTER if demo.number > 20 else StudyPhase.CLINICAL,
            english_level=EnglishLevel.C1,
        )
    return user


class Command(BaseCommand):
    help = "Create accepted demo applications (with reviews) for the demo programmes; skips existing ones."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        for slug, demos, weeks_after in ((ROTATION, UMCG, 2), (COHORT, LEUVEN, 4)):
            programme = Programme.objects.filter(slug=slug).first()
            if programme is None:
                raise CommandError(f"Programme {slug} is missing; run load_demo first.")
            # The first Monday past the lead time, and a little more, so the dates stay valid a while.
            earliest = today + relativedelta(months=programme.lead_time_months) + timedelta(weeks=weeks_after)
            first_monday = monday_of(earliest) + timedelta(weeks=1)
            made = sum(self._application(programme, demo, first_monday) for demo in demos)
            self.stdout.write(f"Demo applications for {programme.title}: {made} created, {len(demos) - made} existed.")

    def _application(self, programme: Programme, demo: Demo, first_monday) -> bool:
        applicant = _applicant(demo)
        if Application.objects.filter(applicant=applicant, programme=programme).exists():
            return False
        reviewer = programme.coordinators.order_by("pk").first() or User.objects.filter(is_superuser=True).first()
        start = first_monday + timedelta(weeks=demo.offset)
        components = demo.components
        weeks = sum(w for _, w in components)
        now = timezone.now()
        application = Application.objects.create(
            applicant=applicant,
            programme=programme,
            status=S.IN_REVIEW,
            start_date=start,
            end_date=start + timedelta(weeks=weeks, days=-3),  # the Friday of the last week
            answers={str(q.pk): True if q.kind == "yes_no" else "none" for q in programme.questions.all()},
            consent_given_at=now,
            submitted_at=now - timedelta(days=30 - demo.number % 20),
        )
        application.reference = _next_reference(application)
        application.save(update_fields=["reference"])
        for rank, (slug, component_weeks) in enumerate(components, start=1):
            ApplicationComponent.objects.create(
                application=application,
                offering=Offering.objects.get(programme=programme, department__slug=slug),
                weeks=component_weeks,
                rank=rank,
            )
        criteria = list(programme.rubric.order_by("order", "pk").values_list("pk", flat=True))
        if criteria and reviewer is not None:
            scores = {pk: int(demo.scores[i % len(demo.scores)]) for i, pk in enumerate(criteria)}
            review_save(application=application, reviewer=reviewer, scores=scores, comment="Demo review.")
        else:
            application.review_score = Decimal(sum(map(int, demo.scores))) / len(demo.scores)
        # Arranged directly (demo data): going through the workflow would e-mail every demo applicant.
        application.status = S.ACCEPTED
        application.decided_at = now
        application.save(update_fields=["status", "decided_at", "review_score"])
        Event.objects.create(
            application=application,
            actor=reviewer,
            kind=EventKind.STATUS_CHANGED,
            from_status=S.IN_REVIEW,
            to_status=S.ACCEPTED,
            message="Accepted (demo data).",
        )
        return True
