"""CSV export of review-queue rows, written line by line so that a large queue streams."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext, override, pgettext_lazy
from django.utils.translation import gettext as _

from applicants.models import Application
from placements.catalogue.enums import QuestionKind
from placements.catalogue.models import EligibilityQuestion

CHUNK_SIZE = 500
BASE_HEADER = [
    gettext_lazy("reference"),
    gettext_lazy("status"),
    gettext_lazy("programme"),
    gettext_lazy("applicant name"),
    gettext_lazy("e-mail"),
    gettext_lazy("nationality"),
    gettext_lazy("home institution"),
    gettext_lazy("study phase"),
    gettext_lazy("English level"),
    pgettext_lazy("date", "start"),
    pgettext_lazy("date", "end"),
    gettext_lazy("components"),
    gettext_lazy("mean score"),
    gettext_lazy("reviews"),
]
LAST_HEADER = [gettext_lazy("submitted at")]
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
        return _("yes") if value is True else _("no")
    return str(value)


def _weeks(weeks: int) -> str:
    return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}


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
    header = [
        str(name)
        for name in (*BASE_HEADER, *([_("answers")] if combined else [q.text for q in questions]), *LAST_HEADER)
    ]
    language = get_language()

    def rows():
        yield header
        # The response streams after the view has returned: the rows keep the request's language.
        with override(language):
            for application in applications.iterator(chunk_size=CHUNK_SIZE):
                yield _row(application, questions, combined)

    return csv_lines(rows())
