"""The planner pages: run it for a programme, follow its progress, inspect the proposal (also on the
capacity calendar), edit single applications on the assignment page, publish all offers at once, and
confirm one by one the proposals that differ from the request."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.access import staff_application_for_user, staff_programmes
from applicants.errors import DomainError
from applicants.views.staff.mixins import staff_required
from placements.allocation.dates import human_deadline
from placements.allocation.enums import PlanRunStatus
from placements.allocation.models import PlanRun
from placements.allocation.queries.planner import plan_proposal, recent_runs
from placements.allocation.services.capacity import CapacityError
from placements.allocation.services.plan_offers import PlanError, plan_publish, plan_publish_one, plan_run_is_current
from placements.allocation.services.planning import plan_run_start
from placements.catalogue.enums import IntakeMode
from placements.catalogue.models import Programme
from portal.jobs.services import job_is_lost

FINISHED = (PlanRunStatus.DONE, PlanRunStatus.FAILED)


class PlanForm(forms.Form):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        empty_label=None,
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = staff_programmes(user).order_by("title")


def _run_for_user(user, uuid) -> PlanRun:
    """The run `uuid` if it belongs to one of `user`'s programmes; a 404 otherwise."""
    runs = PlanRun.objects.filter(programme__in=staff_programmes(user).values("pk")).select_related(
        "programme", "created_by"
    )
    return get_object_or_404(runs, uuid=uuid)


def _progress_context(run: PlanRun) -> dict:
    lost = job_is_lost(run)
    if lost and run.status == PlanRunStatus.QUEUED:
        stage = _("No worker has taken up this run; run the planner again.")
    elif lost:
        stage = _("This run stopped without finishing (its worker was interrupted); run the planner again.")
    elif run.status == PlanRunStatus.QUEUED:
        stage = _("Waiting for a worker…")
    elif run.status == PlanRunStatus.FAILED:
        stage = run.error or run.get_status_display()
    else:
        stage = run.stage or run.get_status_display()
    return {
        "run": run,
        "stage": stage,
        "bar": min(100, round(run.progress / 5) * 5),
        "polling": run.status not in FINISHED and not lost,
        "failed": run.status == PlanRunStatus.FAILED or lost,
        "done": run.status == PlanRunStatus.DONE,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def planner(request):
    """Choose a programme and run the planner; the recent runs of the user's programmes below."""
    programmes = staff_programmes(request.user)
    form = PlanForm(request.POST or None, user=request.user, initial={"programme": request.GET.get("programme")})
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        run, started = plan_run_start(programme=programme, by=request.user)
        if not started:
            messages.info(
                request,
                _("The planner is already running for %(programme)s; this is that run.")
                % {"programme": programme.title},
            )
        return redirect("staff_placements:plan_run", uuid=run.uuid)
    return render(
        request,
        "staff/placements/planner.html",
        {"form": form, "runs": recent_runs(programmes.values("pk")), "modes": IntakeMode},
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def plan_run(request, uuid):
    """A run: its progress while it works, then its figures, its proposal and the unplaced with reasons."""
    run = _run_for_user(request.user, uuid)
    context = {**_progress_context(run), "current": False, "rows": [], "first_week": None}
    if run.status == PlanRunStatus.DONE:
        rows = plan_proposal(run)
        weeks = [row.first_week for row in rows if row.first_week]
        context.update(
            current=plan_run_is_current(run),
            rows=rows,
            first_week=min(weeks) if weeks else None,
            publishable=any(row.bulk_publishable for row in rows),
            awaiting=sum(row.awaits_confirmation for row in rows),
        )
    return render(request, "staff/placements/plan_run.html", context)


@staff_required
@require_GET
@never_cache
def plan_run_progress(request, uuid):
    """The progress fragment the run page polls every second; a finished run reloads the page."""
    run = _run_for_user(request.user, uuid)
    context = _progress_context(run)
    response = render(request, "staff/placements/_planner_progress.html", context)
    if not context["polling"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@staff_required
@require_POST
def plan_publish_view(request, uuid):
    """Offer every application of the proposal that is still accepted its placements, one by one."""
    run = _run_for_user(request.user, uuid)
    try:
        report = plan_publish(run=run, by=request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        level = messages.WARNING if report.refused or report.held else messages.SUCCESS
        messages.add_message(request, level, report.message)
    return redirect("staff_placements:plan_run", uuid=run.uuid)


@staff_required
@require_POST
def plan_publish_one_view(request, uuid, application):
    """Publish one application's proposal as the coordinator confirmed it, also when it differs from the request."""
    run = _run_for_user(request.user, uuid)
    target = staff_application_for_user(request.user, application)
    try:
        placements = plan_publish_one(run=run, application=target, by=request.user)
    except CapacityError as error:
        messages.error(
            request,
            _("The offer to %(reference)s was not published: %(error)s")
            % {"reference": target.reference, "error": error},
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        deadline = human_deadline(placements[0].offer_deadline)
        messages.success(
            request,
            _("The offer to %(reference)s is published; the applicant has until %(deadline)s to answer.")
            % {"reference": target.reference, "deadline": deadline},
        )
    return redirect("staff_placements:plan_run", uuid=run.uuid)
