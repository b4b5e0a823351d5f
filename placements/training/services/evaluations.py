"""Evaluations: the supervisor saves and submits an evaluation (locked once submitted), the trainee adds
a comment to a submitted one, and the trainee evaluates the placement."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.errors import DomainError
from placements.allocation.models import Placement
from placements.hosting.access import placements_for_supervisor
from placements.training import rules
from placements.training.enums import EvaluationKind, EvaluationStatus, ItemKind
from placements.training.models import Evaluation, EvaluationForm, PlacementFeedback
from placements.training.queries import due_on
from placements.training.services.certificates import certificate_request_if_due

# The trainee evaluates the placement once it has begun.
FEEDBACK_STATES = rules.FEEDBACK_STATES


def answers_problems(form: EvaluationForm, answers: dict) -> list[str]:
    """What is missing before `answers` can be submitted on `form`."""
    missing = [item.text for item in form.items.all() if item.required and answers.get(str(item.pk)) in (None, "")]
    return [_("Answer “%(item)s”.") % {"item": text} for text in missing]


def _clean(form: EvaluationForm, answers: dict) -> dict:
    """Only the form's items, scores within the scale."""
    top = len(form.scale)
    kept = {}
    for item in form.items.all():
        value = answers.get(str(item.pk))
        if value in (None, ""):
            continue
        if item.kind == ItemKind.SCALE and (not isinstance(value, int) or not 1 <= value <= top):
            raise DomainError(_("A score must be between 1 and %(top)s.") % {"top": top})
        kept[str(item.pk)] = value
    return kept


def evaluation_save(*, placement: Placement, form: EvaluationForm, by, answers: dict, submit: bool) -> Evaluation:
    """Save the supervisor's answers on `form` for `placement`; with `submit`, lock it (all required answers
    given). A final evaluation submitted may complete the trainee's certificate."""
    if not placements_for_supervisor(by).filter(pk=placement.pk, status__in=rules.EVALUATING_STATES).exists():
        raise DomainError(_("You cannot evaluate this placement."))
    if form.programme_id != placement.application.programme_id:
        raise DomainError(_("This form belongs to another programme."))
    answers = _clean(form, answers)
    if submit and (problems := answers_problems(form, answers)):
        raise DomainError(" ".join(problems))
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation, _created = Evaluation.objects.select_for_update().get_or_create(
                    placement=placement, kind=form.kind, defaults={"form": form, "due_on": due_on(placement, form.kind)}
                )
        except IntegrityError:  # two saves at once: the other one created it
            evaluation = Evaluation.objects.select_for_update().get(placement=placement, kind=form.kind)
        if evaluation.is_submitted:
            raise DomainError(_("This evaluation was submitted and can no longer be changed."))
        evaluation.answers, evaluation.author = answers, by
        fields = ["answers", "author", "updated_at"]
        if submit:
            evaluation.status, evaluation.submitted_at = EvaluationStatus.SUBMITTED, timezone.now()
            fields += ["status", "submitted_at"]
        evaluation.save(update_fields=fields)
        if submit and form.kind == EvaluationKind.FINAL:
            certificate_request_if_due(application=placement.application)
    return evaluation


def evaluation_comment(*, evaluation: Evaluation, by, comment: str) -> Evaluation:
    """The trainee's comment on a submitted evaluation (once)."""
    if not rules.is_trainee(by, evaluation.placement) or not evaluation.is_submitted:
        raise DomainError(_("You cannot comment on this evaluation."))
    if not comment.strip():
        raise DomainError(_("Write your comment."))
    now = timezone.now()
    changed = Evaluation.objects.filter(pk=evaluation.pk, trainee_commented_at__isnull=True).update(
        trainee_comment=comment.strip(), trainee_commented_at=now
    )
    if not changed:
        raise DomainError(_("You already commented on this evaluation."))
    evaluation.trainee_comment, evaluation.trainee_commented_at = comment.strip(), now
    return evaluation


def feedback_submit(*, placement: Placement, by, overall: int, supervision: int, learning: int, comment: str):
    """The trainee's evaluation of the placement (once, from its first day on)."""
    if not rules.is_trainee(by, placement) or placement.status not in FEEDBACK_STATES:
        raise DomainError(_("You can evaluate the placement once it has begun."))
    try:
        with transaction.atomic():
            return PlacementFeedback.objects.create(
                placement=placement, overall=overall, supervision=supervision, learning=learning, comment=comment
            )
    except IntegrityError:
        raise DomainError(_("You already evaluated this placement.")) from None
