"""Applications and their history for the bench's data set (benchmarks/seed.py): statuses in the
shares of a year of a busy portal, and for each application its applicant, components, documents
(rows only), automatic checks, events, e-mails, reviews, notes and placements, in bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState, EnglishLevel, EventKind, StudyPhase
from applicants.models import (
    ApplicantProfile,
    Application,
    ApplicationComponent,
    Document,
    DocumentCheck,
    Event,
    InternalNote,
    Review,
    ReviewScore,
    RubricCriterion,
)
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of
from placements.catalogue.enums import AutomaticCheck
from placements.catalogue.models import Offering, Programme
from portal.mail.models import EmailLog, EmailStatus
from portal.models import User

ROTATION = "clinical-observership-radiology-nuclear-medicine"
COHORT = "postgraduate-certificate-medical-physics"
APPLICANT_EMAIL = "bench.applicant@bench.example"
PASSWORD = "bench-password-not-secret"  # noqa: S105 (a local throwaway database)
S = ApplicationStatus

# Share of each status among applications (drafts included), roughly a year of a busy portal.
STATUS_SHARES = {
    S.DRAFT: 10, S.SUBMITTED: 24, S.IN_REVIEW: 18, S.INFO_REQUESTED: 4, S.ACCEPTED: 9, S.WAITLISTED: 5,
    S.REJECTED: 11, S.OFFERED: 3, S.CONFIRMED: 7, S.DECLINED: 2, S.WITHDRAWN: 5, S.EXPIRED: 2,
}  # fmt: skip
# The status path to each status, after "submitted" (each step is one event).
PATHS = {
    S.SUBMITTED: [],
    S.IN_REVIEW: [S.IN_REVIEW],
    S.INFO_REQUESTED: [S.IN_REVIEW, S.INFO_REQUESTED],
    S.ACCEPTED: [S.IN_REVIEW, S.ACCEPTED],
    S.WAITLISTED: [S.IN_REVIEW, S.WAITLISTED],
    S.REJECTED: [S.IN_REVIEW, S.REJECTED],
    S.OFFERED: [S.IN_REVIEW, S.ACCEPTED, S.OFFERED],
    S.CONFIRMED: [S.IN_REVIEW, S.ACCEPTED, S.OFFERED, S.CONFIRMED],
    S.DECLINED: [S.IN_REVIEW, S.ACCEPTED, S.OFFERED, S.DECLINED],
    S.WITHDRAWN: [S.WITHDRAWN],
    S.EXPIRED: [S.IN_REVIEW, S.ACCEPTED, S.OFFERED, S.EXPIRED],
}
REVIEWED = {S.INFO_REQUESTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.OFFERED, S.CONFIRMED, S.DECLINED, S.EXPIRED}
PLACEMENT_STATUS = {
    S.ACCEPTED: PlacementStatus.PROPOSED,
    S.OFFERED: PlacementStatus.OFFERED,
    S.CONFIRMED: PlacementStatus.CONFIRMED,
}
# Names as coordinators would type them into the search box.
FIRST_NAMES = tuple(
    """Ana João Maria Lucas Sofia Mateo Emma Noah Olivia Liam Ava Elias Mila Luca Nora Hugo Lea Adam Zoe Leon Ines
    Amir Yara Omar Lina Kenji Aiko Ravi Priya Chen Mei Tomasz Zofia Pieter Anouk Bram Fleur Jonas Lotte Sven""".split()  # noqa: SIM905
)
LAST_NAMES = tuple(
    """Silva Costa Santos Pereira Garcia Martinez Rossi Russo Muller Schmidt Janssens Peeters Dubois Lambert Nowak
    Kowalski Novak Horvat Haddad Khan Patel Sharma Tanaka Suzuki Wang Li Kim Park Jansen Bakker Visser Smit Meijer
    Mulder Bos Vos Dekker Hoekstra Brouwer""".split()  # noqa: SIM905
)
NATIONALITIES = ("Portuguese", "Spanish", "Italian", "German", "Belgian", "Dutch", "Polish", "Indian", "Brazilian")


def make_user(email: str, first: str, last: str, *, password: str | None = None) -> User:
    user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@contextmanager
def _explicit_timestamps(*models) -> Iterator[None]:
    """Let bulk inserts carry their own created_at/updated_at (a year of history, not one instant)."""
    fields = [
        f
        for m in models
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class ApplicationsGenerator:
    """`count` applications spread over the programmes by `shares`, from the random seed `seed`."""

    def __init__(self, count: int, shares: tuple[int, ...], seed: int):
        self.count, self.shares = count, shares
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.this_monday = monday_of(self.today)

    def applications(self, programmes: list[Programme], reviewers: list[User]) -> tuple[User, str]:
        by_slug = {p.slug: p for p in programmes}
        order = [by_slug[ROTATION], by_slug[COHORT], *[p for p in programmes if p.slug.startswith("bench-")]]
        offerings = {
            p.pk: list(
                Offering.objects.filter(programme=p).select_related("department").order_by("group__order", "order")
            )
            for p in order
        }
        documents = {
            p.pk: list(p.programme_documents.select_related("document_type").filter(required=True)) for p in order
        }
        criteria = {p.pk: list(RubricCriterion.objects.filter(programme=p)) for p in order}
        plan: list[tuple[Programme, str]] = []
        total = self.count - 10
        for programme, share in zip(order, self.shares, strict=True):
            count = total * share // sum(self.shares)
            plan += [(programme, self._status()) for _ in range(count)]
        self.rng.shuffle(plan)
        applicant = make_user(APPLICANT_EMAIL, "Amira", "Haddad", password=PASSWORD)
        ApplicantProfile.objects.create(
            user=applicant,
            nationality="Egyptian",
            home_institution="Cairo University",
            study_phase=StudyPhase.CLINICAL,
            english_level=EnglishLevel.C1,
        )
        # The dashboard applicant: one open and one closed application in each of the five programmes.
        mine = [
            (p, s)
            for p in order
            for s in (self.rng.choice([S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CONFIRMED]), S.REJECTED)
        ]
        users = self._applicants(len(plan))
        rows = [(applicant, p, s) for p, s in mine] + [(u, p, s) for u, (p, s) in zip(users, plan, strict=True)]
        counters = {p.pk: 0 for p in order}
        with _explicit_timestamps(Application, Event, Document, Review, InternalNote, EmailLog, Placement):
            apps = []
            for user, programme, status in rows:
                apps.append(self._application(user, programme, status, counters))
            Application.objects.bulk_create(apps, batch_size=2000)
            self._children(apps, offerings, documents, criteria, reviewers)
        staff_app = next(
            a
            for a in apps
            if a.programme_id == by_slug[ROTATION].pk and a.status == S.IN_REVIEW and a.applicant_id != applicant.pk
        )
        return applicant, str(staff_app.uuid)

    def _status(self) -> str:
        return self.rng.choices(list(STATUS_SHARES), list(STATUS_SHARES.values()))[0]

    def _applicants(self, count: int) -> list[User]:
        password = make_password(None)
        users = []
        for i in range(count):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            users.append(
                User(
                    email=f"{first}.{last}.{i}@students.example".lower(),
                    first_name=first,
                    last_name=last,
                    password=password,
                    date_joined=self.now,
                )
            )
        User.objects.bulk_create(users, batch_size=5000)
        ApplicantProfile.objects.bulk_create(
            (
                ApplicantProfile(
                    user=u,
                    nationality=self.rng.choice(NATIONALITIES),
                    home_institution="University of Porto",
                    study_phase=StudyPhase.CLINICAL,
                    english_level=self.rng.choice(list(EnglishLevel)),
                    updated_at=self.now,
                )
                for u in users
            ),
            batch_size=5000,
        )
        return users

    def _application(self, user: User, programme: Programme, status: str, counters: dict[int, int]) -> Application:
        submitted = self.now - timedelta(days=self.rng.uniform(1, 330), seconds=self.rng.randint(0, 86400))
        created = submitted - timedelta(days=self.rng.uniform(0.1, 20))
        if programme.intake_mode == "cohort":
            start = date(self.today.year + 1, 9, 1) + timedelta(
                days=(7 - date(self.today.year + 1, 9, 1).weekday()) % 7
            )
        else:
            start = self.this_monday + timedelta(weeks=self.rng.randint(-20, 50))
        weeks = self.rng.randint(2, 12) if programme.intake_mode != "cohort" else 30
        application = Application(
            applicant=user,
            programme=programme,
            status=status,
            start_date=start,
            end_date=start + timedelta(weeks=weeks, days=-3),
            answers={},
            completed_steps=["eligibility", "components", "dates"],
            created_at=created,
            updated_at=submitted,
        )
        if status != S.DRAFT:
            counters[programme.pk] += 1
            application.reference = f"{programme.reference_prefix}-{start.year}-{counters[programme.pk]:05d}"
            # bulk_create does not call save(), which writes the search text
            application.search_text = application.searchable_text()
            application.submitted_at = submitted
            application.consent_given_at = submitted
            application.privacy_notice_version = "1"
        if status in REVIEWED or status == S.WITHDRAWN:
            application.decided_at = submitted + timedelta(days=self.rng.uniform(5, 40))
        return application

    def _children(self, apps, offerings, documents, criteria, reviewers) -> None:
        components, docs, events, reviews, notes, mails, placements = [], [], [], [], [], [], []
        for app in apps:
            chosen = self._components(app, offerings[app.programme_id])
            components += chosen
            at = app.created_at
            events.append(Event(application=app, actor_id=app.applicant_id, kind=EventKind.CREATED, created_at=at))
            for item in documents[app.programme_id]:
                if app.status == S.DRAFT and self.rng.random() < 0.5:
                    continue
                at += timedelta(minutes=self.rng.uniform(1, 60))
                docs.append(self._document(app, item.document_type, at))
                events.append(
                    Event(
                        application=app,
                        actor_id=app.applicant_id,
                        kind=EventKind.DOCUMENT_UPLOADED,
                        message=f"{item.document_type.name}: {item.document_type.code}.pdf",
                        created_at=at,
                    )
                )
                events.append(
                    Event(
                        application=app,
                        kind=EventKind.DOCUMENT_PROCESSED,
                        message=f"{item.document_type.name}: ready.",
                        created_at=at + timedelta(seconds=2),
                    )
                )
            if app.status == S.DRAFT:
                continue
            at = app.submitted_at
            previous = S.DRAFT
            for step in [S.SUBMITTED, *PATHS[app.status]]:
                actor = (
                    app.applicant_id
                    if step in (S.SUBMITTED, S.WITHDRAWN, S.CONFIRMED, S.DECLINED)
                    else self.rng.choice(reviewers).pk
                )
                events.append(
                    Event(
                        application=app,
                        actor_id=actor,
                        kind=EventKind.STATUS_CHANGED,
                        from_status=previous,
                        to_status=step,
                        message="",
                        created_at=at,
                    )
                )
                if step in (S.SUBMITTED, S.INFO_REQUESTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.OFFERED):
                    events.append(
                        Event(
                            application=app,
                            kind=EventKind.EMAIL_SENT,
                            message=f"E-mail: {step}",
                            created_at=at + timedelta(minutes=1),
                        )
                    )
                    mails.append(
                        EmailLog(
                            to=f"applicant{app.applicant_id}@students.example",
                            subject=f"Your application {app.reference}",
                            body="Dear applicant, ...",
                            template_code=step,
                            application=app,
                            status=EmailStatus.SENT,
                            attempts=1,
                            created_at=at,
                            sent_at=at + timedelta(minutes=1),
                        )
                    )
                previous, at = step, at + timedelta(days=self.rng.uniform(1, 12))
            if app.status in REVIEWED or (app.status == S.IN_REVIEW and self.rng.random() < 0.6):
                reviews += self._reviews(app, criteria[app.programme_id], reviewers)
            if self.rng.random() < 0.1:
                notes.append(
                    InternalNote(
                        application=app,
                        author=self.rng.choice(reviewers),
                        text="Checked the dates with the department.",
                        created_at=app.submitted_at + timedelta(days=2),
                    )
                )
            if app.status in PLACEMENT_STATUS:
                placements += self._placements(app, chosen, reviewers[0])
        ApplicationComponent.objects.bulk_create(components, batch_size=5000)
        Document.objects.bulk_create(docs, batch_size=5000)
        DocumentCheck.objects.bulk_create(self._checks(docs), batch_size=5000)
        Event.objects.bulk_create(events, batch_size=5000)
        InternalNote.objects.bulk_create(notes, batch_size=5000)
        EmailLog.objects.bulk_create(mails, batch_size=5000)
        Placement.objects.bulk_create(placements, batch_size=5000)
        self._save_reviews(apps, reviews)

    def _components(self, app: Application, offerings: list[Offering]) -> list[ApplicationComponent]:
        total = max(1, (app.end_date - app.start_date).days // 7 + 1)
        if len(offerings) <= 4:  # the cohort programme: one host department for the whole year
            picked = [self.rng.choice(offerings)]
        else:
            picked = self.rng.sample(offerings, k=min(len(offerings), self.rng.choice([1, 1, 2, 2, 3])))
        weeks = [total // len(picked)] * len(picked)
        weeks[0] += total - sum(weeks)
        return [
            ApplicationComponent(application=app, offering=o, weeks=max(1, w), rank=rank)
            for rank, (o, w) in enumerate(zip(picked, weeks, strict=True), start=1)
        ]

    def _document(self, app: Application, document_type, at: datetime) -> Document:
        return Document(
            application=app,
            document_type=document_type,
            file=f"documents/bench/{app.pk}-{document_type.code}.pdf",
            original_name=f"{document_type.code}.pdf",
            size=self.rng.randint(40_000, 900_000),
            sha256=f"{self.rng.getrandbits(256):064x}",
            content_kind="pdf",
            state=DocumentState.READY,
            pages=self.rng.randint(1, 4),
            text="Curriculum vitae ... " * 20,
            uploaded_at=at,
            processed_at=at + timedelta(seconds=2),
        )

    def _checks(self, docs: list[Document]) -> list[DocumentCheck]:
        checks = []
        for document in docs:
            code = document.document_type.automatic_check
            if code == AutomaticCheck.STATES_REQUESTED_DATES:
                warn = self.rng.random() < 0.15
                message = (
                    "The letter does not state the requested dates."
                    if warn
                    else "The letter states the requested dates."
                )
                checks.append(
                    DocumentCheck(
                        document=document,
                        code=code,
                        status=CheckStatus.WARN if warn else CheckStatus.PASS,
                        message=message,
                    )
                )
            elif code == AutomaticCheck.PROOF_OF_ENGLISH:
                checks.append(
                    DocumentCheck(
                        document=document, code=code, status=CheckStatus.PASS, message="A proof of English is present."
                    )
                )
        return checks

    def _reviews(self, app: Application, criteria, reviewers) -> list[tuple[Review, list[int]]]:
        picked = self.rng.sample(reviewers, k=self.rng.choice([1, 2, 2, 3]))
        result = []
        for reviewer in picked:
            scores = [self.rng.randint(1, 5) for _ in criteria]
            mean = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            at = app.submitted_at + timedelta(days=self.rng.uniform(1, 10))
            review = Review(
                application=app,
                reviewer=reviewer,
                comment="Solid motivation.",
                mean_score=mean,
                created_at=at,
                updated_at=at,
            )
            result.append((review, list(zip(criteria, scores, strict=True))))
        return result

    def _save_reviews(self, apps, reviews) -> None:
        Review.objects.bulk_create([r for r, _ in reviews], batch_size=5000)
        ReviewScore.objects.bulk_create(
            (ReviewScore(review=r, criterion=c, score=s) for r, scores in reviews for c, s in scores), batch_size=5000
        )
        means: dict[int, list[Decimal]] = {}
        for review, _ in reviews:
            means.setdefault(review.application_id, []).append(review.mean_score)
        changed = []
        for app in apps:
            if app.pk in means:
                values = means[app.pk]
                app.review_score = (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
                app.review_count = len(values)
                changed.append(app)
        Application.objects.bulk_update(changed, ["review_score", "review_count"], batch_size=2000)

    def _placements(self, app: Application, components, by: User) -> list[Placement]:
        start = monday_of(app.start_date)
        result = []
        for component in components:
            placement = Placement(
                application=app,
                department_id=component.offering.department_id,
                start_week=start,
                weeks=component.weeks,
                status=PLACEMENT_STATUS[app.status],
                created_by=by,
                created_at=app.decided_at,
                updated_at=app.decided_at,
            )
            placement.end_week = start + timedelta(weeks=component.weeks - 1)  # save() is not called by bulk_create
            result.append(placement)
            start += timedelta(weeks=component.weeks)
        return result
