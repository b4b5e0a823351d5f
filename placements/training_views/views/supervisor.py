"""The supervisor's side: a placement's logbook to sign off or send back, its progress, the evaluations
to fill in, and the department's totals of the trainees' evaluations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applicants.errors import DomainError
from placements.training import access, rules
from placements.training.enums import EntryStatus, EvaluationKind
from placements.training.models import Evaluation, EvaluationForm, LogbookEntry
from placements.training.queries import (
    due_on,
    evaluation_answers,
    evaluation_slots,
    feedback_totals,
    progress_chart,
    progress_of,
)
from placements.training.services.evaluations import evaluation_save
from placements.training.services.logbook import entry_return, entry_sign
from placements.training_views.forms import EvaluationAnswersForm, ReturnForm


def _page_url(placement) -> str:
    return reverse("training:supervise", kwargs={"uuid": placement.uuid})


@login_required
@require_http_methods(["GET"])
def supervise(request, uuid):
    placement = access.supervised_placement(request.user, uuid)
    logbook = rules.keeps_logbook(placement.application.programme)
    entries = list(LogbookEntry.objects.filter(placement=placement).select_related("competency__group"))
    rows = progress_of([placement]) if logbook else []
    context = {
        "placement": placement,
        "trainee": placement.application.applicant,
        "logbook": logbook,
        "waiting": [e for e in entries if e.status == EntryStatus.SUBMITTED],
        "entries": [e for e in entries if e.status != EntryStatus.SUBMITTED],
        "progress": rows,
        "chart": progress_chart(rows, chart_id="progress-chart") if rows else None,
        "slots": evaluation_slots(placement),
        "totals": feedback_totals(placement.department_id),
        "can_evaluate": placement.status in rules.EVALUATING_STATES,
    }
    return render(request, "training/supervise.html", context)


@login_required
@require_POST
def entry_review(request, uuid):
    """Sign an entry off, or send it back with a comment (required)."""
    entry = access.supervised_entry(request.user, uuid)
    action = request.POST.get("action")
    try:
        with transaction.atomic():
            if action == "sign":
                entry_sign(entry=entry, by=request.user)
                messages.success(request, _("The entry is signed off."))
            elif action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Say what the trainee should change."))
                entry_return(entry=entry, by=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("The entry was sent back to the trainee."))
            else:
                raise DomainError(_("Choose to sign the entry off or to send it back."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(_page_url(entry.placement))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_fill(request, uuid, kind):
    """The supervisor's evaluation of a placement: saved as a draft, or submitted (then locked)."""
    placement = access.supervised_placement(request.user, uuid)
    if kind not in EvaluationKind.values:
        raise Http404("No such page.")
    form_spec = EvaluationForm.objects.filter(programme_id=placement.application.programme_id, kind=kind).first()
    if form_spec is None:
        raise Http404("No such page.")
    evaluation = Evaluation.objects.filter(placement=placement, kind=kind).first()
    locked = evaluation is not None and evaluation.is_submitted
    submitting = request.method == "POST" and request.POST.get("action") == "submit"
    initial = {f"item_{key}": value for key, value in (evaluation.answers if evaluation else {}).items()}
    form = EvaluationAnswersForm(
        request.POST if request.method == "POST" and not locked else None,
        form=form_spec,
        submitting=submitting,
        initial=initial,
    )
    if request.method == "POST" and not locked and form.is_valid():
        try:
            evaluation_save(
                placement=placement, form=form_spec, by=request.user, answers=form.answers(), submit=submitting
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, _("The evaluation is submitted.") if submitting else _("Your draft is saved."))
        return redirect(_page_url(placement) if submitting else request.path)
    context = {
        "placement": placement,
        "trainee": placement.application.applicant,
        "form_spec": form_spec,
        "form": form,
        "evaluation": evaluation,
        "locked": locked,
        "answers": evaluation_answers(evaluation) if locked else [],
        "due": due_on(placement, kind),
        "can_evaluate": placement.status in rules.EVALUATING_STATES,
    }
    return render(request, "training/evaluation_fill.html", context)
