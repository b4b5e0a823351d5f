"""Reads for the applicant's own pages, each with the joins its page needs.

Everything here is scoped to the owner: an application someone else started is a 404, exactly like
one that does not exist, so that no page tells an outsider what exists.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applicants import guards
from applicants.enums import DocumentState, WizardStep, WizardStepState
from applicants.models import Application, ApplicationComponent, Document, DocumentCheck, HospitalProposal
from placements.catalogue.enums import QuestionKind
from placements.catalogue.models import Offering, OfferingGroup, Programme, ProgrammeDocument
from placements.catalogue.validation import ComponentChoice, Violation, validate_choice

# The wizard's steps in order, with the label shown in the step indicator.
STEPS: tuple[tuple[str, str], ...] = tuple(WizardStep.choices)
STEP_NAMES = tuple(name for name, _label in STEPS)


def get_own_application(user, uuid, *, queryset: QuerySet | None = None) -> Application:
    """The application `uuid` if `user` started it; Http404 for anyone else, staff included."""
    if user is None or not user.is_authenticated:
        raise Http404("No such page.")
    queryset = queryset if queryset is not None else Application.objects.select_related("programme")
    try:
        return queryset.get(uuid=uuid, applicant=user)
    except Application.DoesNotExist:
        raise Http404("No such page.") from None


def programme_to_apply(*, slug: str) -> Programme:
    return get_object_or_404(Programme.objects.published(), slug=slug)


def _wizard_queryset() -> QuerySet[Application]:
    offerings = Offering.objects.select_related("department__institution", "group")
    groups = OfferingGroup.objects.prefetch_related("patterns", Prefetch("offerings", queryset=offerings))
    components = ApplicationComponent.objects.select_related("offering__department", "offering__group")
    return Application.objects.select_related("programme__provider", "applicant").prefetch_related(
        Prefetch("programme__offering_groups", queryset=groups),
        Prefetch("programme__offerings", queryset=offerings),
        Prefetch("programme__programme_documents", queryset=ProgrammeDocument.objects.select_related("document_type")),
        "programme__questions",
        "programme__intakes",
        Prefetch("components", queryset=components),
        Prefetch("documents", queryset=Document.objects.select_related("document_type").prefetch_related("checks")),
        Prefetch("hospital_proposals", queryset=HospitalProposal.objects.select_related("group", "specialization")),
        "hospital_proposals__group__offerings",
    )


def wizard_application(user, uuid) -> Application:
    """The owner's application with its programme's catalogue, choices and documents loaded."""
    return get_own_application(user, uuid, queryset=_wizard_queryset())


# --- where the applicant stands ------------------------------------------------------------------


def _has_profile(user) -> bool:
    return hasattr(user, "profile") and bool(user.first_name and user.last_name)


def _all_answered(application: Application) -> bool:
    answers = application.answers or {}
    return all(answers.get(str(q.pk)) not in (None, "") for q in application.programme.questions.all())


def _documents_uploaded(application: Application) -> bool:
    by_type = {d.document_type_id: d for d in application.documents.all()}
    for item in application.programme.programme_documents.all():
        document = by_type.get(item.document_type_id)
        if item.required and (document is None or document.state == DocumentState.REJECTED):
            return False
    return True


def _steps_filled(application: Application) -> dict[str, bool]:
    """Which steps hold what they ask for, rules aside."""
    return {
        "profile": _has_profile(application.applicant),
        "eligibility": _all_answered(application),
        "components": bool(application.components.all() or application.hospital_proposals.all()),
        "dates": bool(application.start_date and application.end_date),
        "documents": _documents_uploaded(application),
        "review": not application.is_draft,
    }


def _steps_touched(application: Application) -> dict[str, bool]:
    """Which steps the applicant has put something into (an empty step is to do, not wrong)."""
    answers = application.answers or {}
    return {
        "profile": hasattr(application.applicant, "profile"),
        "eligibility": any(answer not in (None, "") for answer in answers.values()),
        "components": bool(application.components.all() or application.hospital_proposals.all()),
        "dates": bool(application.start_date or application.end_date),
        "documents": bool(application.documents.all()),
        "review": False,
    }


def _problem_codes_by_step(application: Application) -> dict[str, set[guards.ProblemCode]]:
    codes: dict[str, set[guards.ProblemCode]] = {}
    for problem in guards.submission_problems(application):
        if problem.step:
            codes.setdefault(str(problem.step), set()).add(problem.code)
    # A choice that does not add up to the requested period is fixed on either step; the dates
    # step shows it too (date_violations), so it needs attention there as well.
    if any(v.field == "components" for v in date_violations(application)):
        codes.setdefault(str(WizardStep.DATES), set()).add(guards.ProblemCode.RULE_BROKEN)
    return codes


def step_states(application: Application) -> dict[str, WizardStepState]:
    """Where each step stands: done when it holds what it asks for and breaks no rule; needing
    attention when what the applicant put in breaks one; being checked when only documents being
    checked stand in the way; to do otherwise."""
    filled, touched = _steps_filled(application), _steps_touched(application)
    codes_by_step = _problem_codes_by_step(application)
    states = {}
    for name in STEP_NAMES:
        codes = codes_by_step.get(name, set())
        if not codes and filled[name]:
            states[name] = WizardStepState.DONE
        elif codes and codes <= {guards.ProblemCode.DOCUMENT_PENDING}:
            states[name] = WizardStepState.CHECKING
        elif codes and touched[name]:
            states[name] = WizardStepState.ATTENTION
        else:
            states[name] = WizardStepState.TODO
    return states


def first_unfinished_step(application: Application) -> str:
    """Where a draft is resumed: the first step neither done nor only waiting for document checks."""
    states = step_states(application)
    finished = (WizardStepState.DONE, WizardStepState.CHECKING)
    return next((name for name in STEP_NAMES if states[name] not in finished), "review")


# --- rules ----------------------------------------------------------------------------------------


def _choices(application: Application) -> list[ComponentChoice]:
    return [ComponentChoice(offering=c.offering, weeks=c.weeks) for c in application.components.all()]


def rule_violations(
    application: Application, *, start: date | None = None, end: date | None = None, with_dates: bool = True
) -> list[Violation]:
    """The catalogue rules the saved choice breaks; without dates, the date rules are left out."""
    return validate_choice(
        programme=application.programme,
        components=_choices(application),
        proposals=guards.proposed_choices(application),
        start=application.start_date if with_dates else None,
        end=application.end_date if with_dates else None,
        applied_on=timezone.localdate(),
    )


def component_violations(application: Application) -> list[Violation]:
    """What the components step shows: rules on the choice (and its total, once dates are given)."""
    with_dates = bool(application.start_date and application.end_date)
    return [v for v in rule_violations(application, with_dates=with_dates) if v.field not in ("start_date", "end_date")]


def date_violations(application: Application) -> list[Violation]:
    """What the dates step shows: the date rules and the choice rules that only the dates break."""
    without_dates = set(rule_violations(application, with_dates=False))
    return [
        v
        for v in rule_violations(application)
        if v.field in ("start_date", "end_date", "programme") or (v.field == "components" and v not in without_dates)
    ]


def answer_violations(application: Application, answers: dict[int, object]) -> list[Violation]:
    violations = validate_choice(
        programme=application.programme,
        components=[],
        start=None,
        end=None,
        applied_on=timezone.localdate(),
        answers=answers,
    )
    return [v for v in violations if v.field.startswith("answer:")]


# Where a problem that is fixed outside the wizard is fixed, by its field: a URL name.
FIXED_ELSEWHERE = {"email": "account_email"}


@dataclass(frozen=True)
class ReviewProblem:
    """A problem that blocks submitting (guards.Problem) as the review step lists it."""

    message: str
    step: str | None  # the wizard step where it is fixed; None: elsewhere (see `elsewhere`)
    elsewhere: str = ""  # a URL name outside the wizard, e.g. the e-mail settings
    subject: str = ""  # what the message is about when it does not say so itself, e.g. the question
    anchor: str = ""  # the id of the control on the step's page that the problem concerns, if it has one


def _anchors(application: Application) -> dict[str, str]:
    """Problem field -> the id of its control on the wizard step's page (radios: the first one)."""
    anchors = {"start_date": "id_start_date", "end_date": "id_end_date", "consent": "id_consent"}
    for offering in application.programme.offerings.all():
        anchors[f"component:{offering.pk}"] = f"group-{offering.group_id}-title"  # the group's heading
    for question in application.programme.questions.all():
        first = "_0" if question.kind == QuestionKind.YES_NO else ""
        anchors[f"answer:{question.pk}"] = f"id_answer_{question.pk}{first}"
    for item in application.programme.programme_documents.all():
        anchors[f"document:{item.document_type.code}"] = f"document-slot-{item.pk}"
    return anchors


def submission_problems(application: Application) -> list[ReviewProblem]:
    """Every problem that blocks submitting (guards.submission_problems), with where to fix it."""
    questions = {f"answer:{q.pk}": q.text for q in application.programme.questions.all()}
    anchors = _anchors(application)
    return [
        ReviewProblem(
            problem.message,
            problem.step,
            elsewhere=FIXED_ELSEWHERE.get(problem.field, ""),
            subject=questions.get(problem.field, ""),
            anchor=anchors.get(problem.field, ""),
        )
        for problem in guards.submission_problems(application)
    ]


# --- documents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSlot:
    """One document the programme asks for, with the file the applicant uploaded for it (if any)."""

    item: ProgrammeDocument
    document: Document | None

    @property
    def pending(self) -> bool:
        return self.document is not None and self.document.state == DocumentState.PENDING

    @property
    def blocking(self) -> list[tuple[DocumentCheck, str]]:
        """The findings that stop submitting until the file is replaced or confirmed, each with what the
        applicant would confirm ("states the requested dates")."""
        return [(check, guards.check_claim(check)) for check in guards.blocking_checks(self.item, self.document)]

    @property
    def confirmed(self) -> list[tuple[DocumentCheck, str]]:
        """The findings the applicant has confirmed to be mistaken, with what they confirmed."""
        checks = self.document.checks.all() if self.document else []
        return [(check, guards.check_claim(check)) for check in checks if check.confirmed]


def document_slots(application: Application) -> list[DocumentSlot]:
    by_type = {d.document_type_id: d for d in application.documents.all()}
    return [
        DocumentSlot(item=item, document=by_type.get(item.document_type_id))
        for item in application.programme.programme_documents.all()
    ]


def documents_application(user, uuid) -> Application:
    """The owner's application with just what the documents list needs (the polled fragment)."""
    queryset = Application.objects.select_related("programme").prefetch_related(
        Prefetch("programme__programme_documents", queryset=ProgrammeDocument.objects.select_related("document_type")),
        Prefetch("documents", queryset=Document.objects.select_related("document_type").prefetch_related("checks")),
    )
    return get_own_application(user, uuid, queryset=queryset)
