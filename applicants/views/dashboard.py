"""The applicant's own pages: the list of their applications, one application, withdrawing it."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Greatest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from applicants import access, presenters, workflow
from applicants.enums import ApplicationStatus
from applicants.errors import DomainError
from applicants.models import ApplicantProfile, Application, ApplicationComponent, Document, Event
from applicants.selectors import STEP_NAMES
from placements.allocation import rules
from placements.allocation.services.lifecycle import application_withdraw
from portal.text import plain_text

S = ApplicationStatus


def _continue_url(application: Application, *, has_profile: bool) -> str:
    """Where a draft is resumed: its first step not yet saved, or its page if the wizard is not installed.

    Worked out from what the draft records (no query per row); the wizard itself checks each step again.
    """
    done = set(application.completed_steps or ()) | ({"profile"} if has_profile else set())
    step = next((name for name in STEP_NAMES if name not in done), STEP_NAMES[-1])
    try:
        return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})
    except NoReverseMatch:
        return application.get_absolute_url()


@dataclass(frozen=True)
class DashboardRow:
    application: Application
    badge: str
    last_change: datetime
    link: str
    link_label: str


@login_required
@require_GET
def dashboard(request):
    applications = list(
        Application.objects.filter(applicant=request.user)
        .select_related("programme")
        # PostgreSQL's GREATEST skips NULLs: an application without visible events keeps updated_at.
        .annotate(last_change=Greatest("updated_at", Max("events__created_at", filter=Q(events__internal=False))))
        .order_by("-created_at")
    )
    has_profile = any(a.is_draft for a in applications) and ApplicantProfile.objects.filter(user=request.user).exists()
    rows = [
        DashboardRow(
            application=application,
            badge=presenters.status_badge(application.status),
            last_change=application.last_change,
            link=(
                _continue_url(application, has_profile=has_profile)
                if application.is_draft
                else application.get_absolute_url()
            ),
            link_label=_("Continue") if application.is_draft else _("View"),
        )
        for application in applications
    ]
    return render(request, "applicants/dashboard.html", {"rows": rows})


# --- one application ------------------------------------------------------------------------------


def _actor_label(event: Event, *, application: Application, viewer_role: str | None) -> str:
    """Applicants see roles, never the names of staff; staff see who did it."""
    if event.actor_id is None:
        return _("System")
    if event.actor_id == application.applicant_id:
        return _("You") if viewer_role == workflow.Role.APPLICANT else str(application.applicant)
    if viewer_role == workflow.Role.APPLICANT:
        return _("Coordinator")
    return str(event.actor)


def _timeline(application: Application, *, viewer_role: str | None) -> list[presenters.TimelineEntry]:
    events = application.events.select_related("actor")
    if viewer_role not in workflow.STAFF:
        events = events.filter(internal=False)
    return [
        presenters.TimelineEntry(
            at=event.created_at,
            title=presenters.event_title(event),
            message=event.message,
            actor=_actor_label(event, application=application, viewer_role=viewer_role),
        )
        for event in events
    ]


DETAIL_QUERYSET = Application.objects.select_related("programme", "applicant").prefetch_related(
    Prefetch(
        "components",
        queryset=ApplicationComponent.objects.select_related("offering__department__institution"),
    ),
    Prefetch(
        "documents",
        queryset=Document.objects.select_related("document_type").prefetch_related("checks"),
    ),
    "programme__questions",
)


@login_required
@require_GET
def application_detail(request, uuid):
    application = access.application_for_user(request.user, uuid, queryset=DETAIL_QUERYSET)
    role = workflow.role_of(request.user, application)
    has_profile = application.is_draft and ApplicantProfile.objects.filter(user=application.applicant_id).exists()
    return render(
        request,
        "applicants/application_detail.html",
        {
            "application": application,
            "badge": presenters.status_badge(application.status),
            "is_applicant": role == workflow.Role.APPLICANT,
            "can_withdraw": rules.allowed("withdraw", role, application.status),
            "continue_url": (
                _continue_url(application, has_profile=has_profile)
                if application.is_draft and role == workflow.Role.APPLICANT
                else None
            ),
            "components": application.components.all(),
            "total_weeks": sum(c.weeks for c in application.components.all()),
            "proposals": application.hospital_proposals.all(),
            "answers": presenters.answer_rows(application),
            "documents": application.documents.all(),
            "timeline": _timeline(application, viewer_role=role),
        },
    )


# --- withdrawing ---------------------------------------------------------------------------------


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you withdrawing? (optional)"),
        help_text=gettext_lazy("The coordinators will read this. You do not have to give a reason."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[plain_text],
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw_confirm(request, uuid):
    application = access.application_for_user(request.user, uuid)
    detail_url = application.get_absolute_url()
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    application_withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                messages.error(request, str(error))
                return redirect(detail_url)
            messages.success(request, _("Your application has been withdrawn."))
            return redirect(detail_url)
    else:
        role = workflow.role_of(request.user, application)
        if not rules.allowed("withdraw", role, application.status):
            if role != workflow.Role.APPLICANT:
                messages.error(request, _("Only the applicant can withdraw an application."))
            elif application.status == S.WITHDRAWN:
                messages.info(request, _("You have already withdrawn this application."))
            else:
                status = application.get_status_display().lower()
                message = _("This application is %(status)s and can no longer be withdrawn.") % {"status": status}
                messages.error(request, message)
            return redirect(detail_url)
        form = WithdrawForm()
    return render(request, "applicants/withdraw_confirm.html", {"application": application, "form": form})
