"""The trainee's side: the training page of a placement (logbook, progress, evaluations), correcting an
entry sent back, reading a submitted evaluation and commenting on it, evaluating the placement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applicants.errors import DomainError
from placements.training import access, rules
from placements.training.models import Certificate, LogbookEntry, PlacementFeedback
from placements.training.queries import evaluation_answers, evaluation_slots, progress_chart, progress_of
from placements.training.services.evaluations import evaluation_comment, feedback_submit
from placements.training.services.logbook import entry_add, entry_resubmit
from placements.training_views.forms import CommentForm, EntryForm, FeedbackForm


def _page_url(placement) -> str:
    return reverse("training:placement", kwargs={"uuid": placement.uuid})


@login_required
@require_http_methods(["GET", "POST"])
def placement_training(request, uuid):
    """The logbook (when the programme keeps one) with progress, the evaluations and the certificate."""
    placement = access.trainee_placement(request.user, uuid)
    logbook = rules.keeps_logbook(placement.application.programme)
    can_log = logbook and rules.can_log(request.user, placement)
    form = EntryForm(request.POST if request.method == "POST" else None, placement=placement) if can_log else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("The logbook of this placement is closed."))
            return redirect(_page_url(placement))
        if form.is_valid():
            try:
                with transaction.atomic():
                    entry_add(placement=placement, by=request.user, activity=form.activity_input())
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your activity is logged and waits for your supervisor's sign-off."))
            return redirect(_page_url(placement))
    rows = progress_of([placement]) if logbook else []
    context = {
        "placement": placement,
        "application": placement.application,
        "logbook": logbook,
        "form": form,
        "entries": LogbookEntry.objects.filter(placement=placement).select_related("competency__group"),
        "progress": rows,
        "chart": progress_chart(rows, chart_id="progress-chart") if rows else None,
        "slots": evaluation_slots(placement),
        "feedback": PlacementFeedback.objects.filter(placement=placement).first(),
        "can_give_feedback": placement.status in rules.FEEDBACK_STATES,
        "certificate": Certificate.objects.filter(application=placement.application).first(),
    }
    return render(request, "training/placement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, uuid):
    """Correct an entry the supervisor sent back, and send it again."""
    entry = access.trainee_entry(request.user, uuid)
    placement = entry.placement
    if not rules.can_edit_entry(request.user, entry):
        messages.info(request, _("Only an entry that was sent back can be changed."))
        return redirect(_page_url(placement))
    initial = {"competency": entry.competency, "date": entry.date, "hours": entry.hours, "activity": entry.activity}
    form = EntryForm(request.POST or None, placement=placement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                entry_resubmit(entry=entry, by=request.user, activity=form.activity_input())
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your corrected entry was sent for sign-off again."))
        return redirect(_page_url(placement))
    return render(request, "training/entry_edit.html", {"entry": entry, "placement": placement, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_detail(request, uuid):
    """A submitted evaluation, as the trainee reads it, with their comment."""
    evaluation = access.trainee_evaluation(request.user, uuid)
    can_comment = evaluation.trainee_commented_at is None
    form = CommentForm(request.POST or None) if can_comment else None
    if request.method == "POST":
        if form is not None and form.is_valid():
            try:
                evaluation_comment(evaluation=evaluation, by=request.user, comment=form.cleaned_data["comment"])
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your comment was added to the evaluation."))
            return redirect(request.path)
        if form is None:
            return redirect(request.path)
    context = {
        "evaluation": evaluation,
        "placement": evaluation.placement,
        "answers": evaluation_answers(evaluation),
        "form": form,
    }
    return render(request, "training/evaluation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, uuid):
    """The trainee's short evaluation of the placement."""
    placement = access.trainee_placement(request.user, uuid)
    if placement.status not in rules.FEEDBACK_STATES or PlacementFeedback.objects.filter(placement=placement).exists():
        messages.info(request, _("You can evaluate the placement once, after it has begun."))
        return redirect(_page_url(placement))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(placement=placement, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your evaluation of the placement was sent."))
        return redirect(_page_url(placement))
    return render(request, "training/feedback.html", {"placement": placement, "form": form})
