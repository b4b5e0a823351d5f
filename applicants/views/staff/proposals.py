"""A coordinator's answer to a hospital the applicant proposed: approve it (with the department's
weekly capacity) or refuse it with a reason; both through the proposals service."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.access import staff_application_for_user
from applicants.errors import DomainError
from applicants.forms.proposals import ProposalApproveForm, ProposalRefuseForm
from applicants.models import Application, HospitalProposal
from applicants.services.proposals import hospital_proposal_approve, hospital_proposal_refuse
from applicants.views.staff.application import _render_page, page_url
from applicants.views.staff.mixins import staff_required


def _proposal_of(request, uuid, pk) -> tuple[Application, HospitalProposal]:
    """The proposal `pk` of an application the user coordinates; 404 for anyone else."""
    application = staff_application_for_user(request.user, uuid)
    proposal = HospitalProposal.objects.filter(application=application, pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return application, proposal


@staff_required
@require_POST
def proposal_approve_view(request, uuid, pk):
    application, proposal = _proposal_of(request, uuid, pk)
    form = ProposalApproveForm(request.POST)
    if not form.is_valid():
        return _render_page(request, uuid, approve_form=form)
    try:
        with transaction.atomic():
            hospital_proposal_approve(
                proposal=proposal, by=request.user, weekly_capacity=form.cleaned_data["weekly_capacity"]
            )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(hospital)s is approved and offered in %(group)s.")
            % {"hospital": proposal.hospital, "group": proposal.group.title},
        )
    return redirect(page_url(application))


@staff_required
@require_POST
def proposal_refuse_view(request, uuid, pk):
    application, proposal = _proposal_of(request, uuid, pk)
    form = ProposalRefuseForm(request.POST)
    if not form.is_valid():
        return _render_page(request, uuid, refuse_form=form)
    try:
        with transaction.atomic():
            hospital_proposal_refuse(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(hospital)s is refused; the applicant sees your reason.") % {"hospital": proposal.hospital}
        )
    return redirect(page_url(application))
