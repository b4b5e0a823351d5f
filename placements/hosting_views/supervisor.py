"""The supervisor's pages: their departments' placements, calendar and one placement with its
actions. Each fetches through placements.hosting.access, so anyone else gets a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applicants.services.access_log import document_view_record
from applicants.views.documents import CONTENT_TYPES
from placements.allocation.enums import RUNNING_STATES, PlacementStatus
from placements.hosting import access, services
from placements.hosting.enums import ConfirmationStatus
from placements.hosting.models import HostConfirmation
from placements.hosting_views.forms import AbsenceForm, AnswerForm, InterruptForm
from portal.downloads import locked_down, open_or_404

LIST_RELATED = ("department__institution", "department__parent", "application__applicant", "application__programme")


def supervisor_required(view):
    """Signed-in supervisors only: anonymous visitors sign in first, anyone else gets a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_supervisor(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


@supervisor_required
@require_GET
def placements(request):
    """The placements of the supervisor's departments, the coming and running ones first."""
    rows = list(
        access.placements_for_supervisor(request.user)
        .select_related(*LIST_RELATED, "host_confirmation")
        .order_by("start_week", "pk")
    )
    current = [p for p in rows if p.status not in (PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED)]
    past = [p for p in rows if p.status in (PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED)]
    departments = list(access.supervised_departments(request.user).select_related("institution", "parent"))
    return render(
        request,
        "hosting/placements.html",
        {"current": current, "past": past, "departments": departments, "asked": ConfirmationStatus.REQUESTED},
    )


def _page(request, placement, **forms):
    confirmation = HostConfirmation.objects.filter(placement=placement).first()
    context = {
        "placement": placement,
        "confirmation": confirmation,
        "documents": list(access.shared_documents(placement)),
        "absences": list(placement.absences.all()),
        "running": placement.status in RUNNING_STATES,
        "can_complete": placement.status == PlacementStatus.IN_PROGRESS,
        "answer_form": forms.get("answer_form")
        or (AnswerForm() if confirmation and confirmation.status == ConfirmationStatus.REQUESTED else None),
        "absence_form": forms.get("absence_form") or AbsenceForm(placement=placement),
        "interrupt_form": forms.get("interrupt_form") or InterruptForm(),
    }
    status = 400 if forms else 200
    return render(request, "hosting/placement.html", context, status=status)


def _placement(request, uuid):
    return access.placement_for_supervisor_or_404(request.user, uuid)


@supervisor_required
@require_GET
def placement(request, uuid):
    return _page(request, _placement(request, uuid))


def _done(request, placement, message: str):
    messages.success(request, message)
    return redirect("hosting:placement", uuid=placement.uuid)


def _refused(request, placement, error: services.HostingError):
    messages.error(request, str(error))
    return redirect("hosting:placement", uuid=placement.uuid)


@supervisor_required
@require_POST
def answer(request, uuid):
    placement = _placement(request, uuid)
    confirmation = HostConfirmation.objects.filter(placement=placement).first()
    if confirmation is None:
        raise Http404("Nobody asked this department to confirm the placement.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _page(request, placement, answer_form=form)
    confirmed = form.cleaned_data["answer"] == "confirm"
    try:
        services.confirmation_answer(
            confirmation=confirmation, by=request.user, confirmed=confirmed, reason=form.cleaned_data["reason"]
        )
    except services.HostingError as error:
        return _refused(request, placement, error)
    return _done(
        request, placement, _("You confirmed the placement.") if confirmed else _("You declined the placement.")
    )


@supervisor_required
@require_POST
def absence(request, uuid):
    placement = _placement(request, uuid)
    form = AbsenceForm(request.POST, placement=placement)
    if not form.is_valid():
        return _page(request, placement, absence_form=form)
    try:
        services.absence_record(placement=placement, by=request.user, **form.cleaned_data)
    except services.HostingError as error:
        return _refused(request, placement, error)
    return _done(request, placement, _("The absence is recorded."))


@supervisor_required
@require_POST
def complete(request, uuid):
    placement = _placement(request, uuid)
    try:
        with transaction.atomic():
            services.placement_complete(placement=placement, by=request.user)
    except services.HostingError as error:
        return _refused(request, placement, error)
    return _done(request, placement, _("The placement is completed."))


@supervisor_required
@require_POST
def interrupt(request, uuid):
    placement = _placement(request, uuid)
    form = InterruptForm(request.POST)
    if not form.is_valid():
        return _page(request, placement, interrupt_form=form)
    try:
        services.placement_interrupt(placement=placement, by=request.user, reason=form.cleaned_data["reason"])
    except services.HostingError as error:
        return _refused(request, placement, error)
    return _done(request, placement, _("The placement is interrupted."))


@supervisor_required
@require_GET
def document(request, uuid, document_uuid):
    """A document the programme shares with host departments, of a placement in the supervisor's scope."""
    found = access.shared_document_for_supervisor_or_404(request.user, uuid, document_uuid)
    handle = open_or_404(found.file)
    document_view_record(document=found, by=request.user, how="download")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=CONTENT_TYPES.get(found.content_kind, "application/octet-stream"),
    )
    return locked_down(response)
