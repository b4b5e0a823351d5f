"""The coordinators' side of host departments: inviting supervisors, asking a department to confirm
a placement, interrupting one. Only for the programmes they coordinate (anything else is a 404)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applicants.access import staff_application_for_user
from applicants.views.staff.mixins import staff_required
from placements.allocation.models import Placement
from placements.hosting import services
from placements.hosting.invitations import invitable_departments, supervisor_invite
from placements.hosting.models import Supervision
from placements.hosting_views.forms import ConfirmationRequestForm, InterruptForm, InviteForm


@staff_required
@require_http_methods(["GET", "POST"])
def supervisors(request):
    """The departments of the coordinator's programmes with their supervisors, and the invitation form."""
    departments = invitable_departments(request.user)
    form = InviteForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = supervisor_invite(
            email=data["email"],
            departments=list(data["departments"]),
            by=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        if invited.created:
            messages.success(
                request,
                _("%(email)s is invited; the e-mail with the link is on its way.") % {"email": invited.user.email},
            )
        elif invited.added:
            messages.success(
                request, _("%(email)s supervises the added departments now.") % {"email": invited.user.email}
            )
        else:
            messages.info(request, _("%(email)s supervised these departments already.") % {"email": invited.user.email})
        return redirect("staff_hosting:supervisors")
    listed = departments.prefetch_related(
        Prefetch("supervisions", queryset=Supervision.objects.select_related("user").order_by("user__email"))
    )
    return render(
        request,
        "hosting/staff/supervisors.html",
        {"form": form, "departments": listed},
        status=400 if form.is_bound else 200,
    )


def _placement_of(request, uuid, placement_uuid) -> Placement:
    application = staff_application_for_user(request.user, uuid)
    return get_object_or_404(
        Placement.objects.select_related("department__institution", "application__programme"),
        application=application,
        uuid=placement_uuid,
    )


def _back(placement: Placement):
    return redirect("staff:application", uuid=placement.application.uuid)


@staff_required
@require_POST
def request_confirmation(request, uuid, placement_uuid):
    placement = _placement_of(request, uuid, placement_uuid)
    form = ConfirmationRequestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.confirmation_request(placement=placement, by=request.user, note=note)
    except services.HostingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(department)s is asked to confirm the placement.") % {"department": placement.department.label}
        )
    return _back(placement)


@staff_required
@require_POST
def interrupt(request, uuid, placement_uuid):
    placement = _placement_of(request, uuid, placement_uuid)
    form = InterruptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the placement is interrupted."))
        return _back(placement)
    try:
        services.placement_interrupt(placement=placement, by=request.user, reason=form.cleaned_data["reason"])
    except services.HostingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The placement is interrupted."))
    return _back(placement)
