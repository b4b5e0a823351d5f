"""Staff actions on offers: publishing a saved proposal, dismissing a freed-seat proposal."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.access import staff_application_for_user, staff_applications, staff_programmes
from applicants.errors import DomainError
from applicants.views.staff.mixins import staff_required
from placements.allocation.dates import human_deadline
from placements.allocation.models import SeatProposal
from placements.allocation.services.capacity import CapacityError
from placements.allocation.services.offers import offer_publish, seat_proposal_dismiss


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # The address as given: redirect() would take a bare word for the name of a URL to look up.
        return HttpResponseRedirect(target)
    return redirect(fallback)


@staff_required
@require_POST
def publish_proposal(request, uuid):
    """Offer the application the placements proposed for it (by the planner or a coordinator)."""
    application = staff_application_for_user(request.user, uuid)
    try:
        placements = offer_publish(application=application, by=request.user)
    except CapacityError as error:
        messages.error(request, _("The offer was not published: %(error)s") % {"error": error})
    except DomainError as error:
        messages.error(request, str(error))
    else:
        deadline = human_deadline(placements[0].offer_deadline)
        messages.success(
            request,
            _("The offer is published; the applicant has until %(deadline)s to answer.") % {"deadline": deadline},
        )
    return redirect("staff:application", uuid=application.uuid)


@staff_required
@require_POST
def dismiss_seat_proposal(request, uuid):
    proposal = get_object_or_404(
        SeatProposal.objects.filter(
            programme__in=staff_programmes(request.user).values("pk"),
            application__in=staff_applications(request.user).values("pk"),
        ),
        uuid=uuid,
    )
    try:
        seat_proposal_dismiss(proposal=proposal, by=request.user)
    except DomainError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("The proposal is dismissed."))
    return _back(request, "staff_placements:calendar")
