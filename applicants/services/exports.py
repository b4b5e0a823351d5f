"""CSV export of review-queue rows, written line by line so that a large queue streams."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from applicants.models import Application
from placements.catalogue.enums import QuestionKind
from placements.catalogue.models import EligibilityQuestion

CHUNK_SIZE = 500
BASE_HEADER = [
    "reference",
    "status",
    "programme",
    "applicant name",
    "e-mail",
    "nationality",
    "home institution",
    "study phase",
    "English level",
    "start",
    "end",
    "components",
    "mean score",
    "reviews",
]
LAST_HEADER = ["submitted at"]
# A spreadsheet runs a cell starting with one of these as a formula; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as spreadsheet-safe text (OWASP "CSV injection")."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _answer(question: EligibilityQuestion, value) -> str:
    if value is None:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return "yes" if value is True else "no"
    return str(value)


def _weeks(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def _score(score: Decimal | None) -> str:
    return "" if score is None else f"{score:.2f}"


def _row(application: Application, questions: Sequence[EligibilityQuestion], combined: bool) -> list[str]:
    applicant = application.applicant
    profile = getattr(applicant, "profile", None)
    components = "; ".join(f"{c.offering.department.label} ({_weeks(c.weeks)})" for c in application.components.all())
    own_questions = [q for q in questions if q.programme_id == application.programme_id]
    answers = [_answer(q, application.answers.get(str(q.pk))) for q in own_questions]
    if combined:
        answers = ["; ".join(f"{q.text} {a}" for q, a in zip(own_questions, answers, strict=True) if a)]
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    return [
        application.reference,
        application.get_status_display(),
        application.programme.title,
        applicant.get_full_name(),
        applicant.email,
        profile.nationality if profile else "",
        profile.home_institution if profile else "",
        profile.get_study_phase_display() if profile else "",
        profile.get_english_level_display() if profile else "",
        application.start_date,
        application.end_date,
        components,
        _score(application.review_score),
        application.review_count,
        *answers,
        f"{submitted:%Y-%m-%d %H:%M}" if submitted else "",
    ]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """`rows` as CSV text, line by line, each cell spreadsheet-safe; a BOM first so that Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def queue_export_lines(*, applications: QuerySet[Application], programme_ids: Sequence[int]) -> Iterator[str]:
    """The CSV lines of `applications` (a queryset with applicant__profile, programme and components):
    one column per eligibility question when they come from one programme, one "answers" column otherwise."""
    questions = list(EligibilityQuestion.objects.filter(programme_id__in=programme_ids).order_by("order", "pk"))
    combined = len(set(programme_ids)) != 1
    header = [*BASE_HEADER, *(["answers"] if combined else [q.text for q in questions]), *LAST_HEADER]

    def rows():
        yield header
        for application in applications.iterator(chunk_size=CHUNK_SIZE):
            yield _row(application, questions, combined)

    return csv_lines(rows())
