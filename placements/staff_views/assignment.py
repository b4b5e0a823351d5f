"""Manual assignment: the coordinator lays out an application's placements, checks them against
capacity, the requested period and the programme's rules, then saves a proposal or publishes an offer."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from applicants.access import staff_application_for_user
from applicants.errors import DomainError
from applicants.models import Application, ApplicationComponent
from applicants.views.staff.mixins import staff_required
from placements.allocation import rules
from placements.allocation.dates import human_deadline
from placements.allocation.enums import ACTIVE_STATES
from placements.allocation.models import Placement
from placements.allocation.services.capacity import CapacityError, Segment, placement_conflicts, placements_assign
from placements.allocation.services.offers import offer_publish
from placements.catalogue.models import Department
from placements.forms import MAX_SEGMENTS, SegmentFormSet, segment_initial

ACTIONS = {"check", "propose", "publish", "add_row"}

QUERYSET = Application.objects.select_related("programme", "applicant").prefetch_related(
    Prefetch("components", queryset=ApplicationComponent.objects.select_related("offering__department__institution")),
    Prefetch(
        "placements",
        queryset=Placement.objects.filter(status__in=ACTIVE_STATES).select_related("department__institution"),
        to_attr="active_placements",
    ),
)


def assign_url(application: Application) -> str:
    return reverse("staff_placements:assign", kwargs={"uuid": application.uuid})


def _departments(application: Application):
    return (
        Department.objects.filter(offerings__programme=application.programme)
        .select_related("institution")
        .order_by("offerings__group__order", "offerings__order", "name")
    )


def _initial_segments(initial: list[dict], departments) -> list[Segment]:
    by_id = {d.pk: d for d in departments}
    return [
        Segment(by_id[row["department"]], row["start_week"], row["weeks"])
        for row in initial
        if row["department"] in by_id
    ]


def _with_extra_row(data):
    """The posted rows and one more (a count that is not a number starts from none; never past the limit)."""
    data = data.copy()
    count = data.get("form-TOTAL_FORMS") or "0"
    rows = int(count) if count.isascii() and count.isdigit() and len(count) < 4 else 0
    data["form-TOTAL_FORMS"] = str(min(rows, MAX_SEGMENTS) + 1)
    return data


def _render(request, application, formset, *, conflicts=None, checked=False, status=200):
    rights = rules.rights(request.user, application)
    return render(
        request,
        "staff/placements/assign.html",
        {
            "application": application,
            "formset": formset,
            "conflicts": conflicts or [],
            "checked": checked,
            "placements": application.active_placements,
            "components": application.components.all(),
            "can_propose": rights["propose_placements"],
            "can_publish": rights["publish_offer"],
            "can_assign": rights["assign_placements"],
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def assign(request, uuid):
    application = staff_application_for_user(request.user, uuid, queryset=QUERYSET)
    departments = _departments(application)
    if request.method == "GET":
        initial = segment_initial(application, application.active_placements)
        formset = SegmentFormSet(initial=initial, departments=departments)
        segments = _initial_segments(initial, departments)
        conflicts = placement_conflicts(application=application, segments=segments) if segments else []
        return _render(request, application, formset, conflicts=conflicts, checked=bool(segments))

    action = request.POST.get("action")
    if action not in ACTIONS:
        action = "check"
    if action == "add_row":
        formset = SegmentFormSet(_with_extra_row(request.POST), departments=departments)
        return _render(request, application, formset)
    formset = SegmentFormSet(request.POST, departments=departments)
    if not formset.is_valid():
        return _render(request, application, formset, status=400)
    segments = formset.segments()
    conflicts = placement_conflicts(application=application, segments=segments)
    if action == "check":
        return _render(request, application, formset, conflicts=conflicts, checked=True)
    if action == "propose":
        return _propose(request, application, formset, segments, conflicts)
    return _publish(request, application, formset, segments, conflicts)


def _propose(request, application, formset, segments, conflicts):
    if not rules.can_propose_placements(request.user, application):
        messages.error(request, _("A proposal can only be saved for an accepted or waitlisted application."))
        return _render(request, application, formset, conflicts=conflicts, checked=True, status=400)
    with transaction.atomic():
        placements_assign(application=application, segments=segments, by=request.user)
    if conflicts:
        count = len(conflicts)
        messages.warning(
            request,
            ngettext(
                "The proposal is saved with %(count)d conflict: %(conflicts)s",
                "The proposal is saved with %(count)d conflicts: %(conflicts)s",
                count,
            )
            % {"count": count, "conflicts": " ".join(str(c.message) for c in conflicts)},
        )
    else:
        messages.success(request, _("The proposal is saved. Nothing is sent to the applicant until you publish it."))
    return redirect(assign_url(application))


def _publish(request, application, formset, segments, conflicts):
    if not rules.can_publish_offer(request.user, application):
        messages.error(request, _("Accept the application before publishing an offer; a proposal can be saved now."))
        return _render(request, application, formset, conflicts=conflicts, checked=True, status=400)
    # Seats are checked again under locks by the service; other conflicts need the coordinator's consent.
    soft = [c for c in conflicts if c.kind != "capacity"]
    if soft and not request.POST.get("accept_conflicts"):
        messages.error(
            request,
            _(
                "The offer was not published: it breaks the requested period or the programme's rules. "
                "Change it, or tick “Publish despite these conflicts”."
            ),
        )
        return _render(request, application, formset, conflicts=conflicts, checked=True, status=400)
    try:
        placements = offer_publish(application=application, by=request.user, segments=segments)
    except CapacityError as error:
        messages.error(request, _("The offer was not published: %(error)s") % {"error": error})
        return _render(request, application, formset, conflicts=conflicts, checked=True, status=409)
    except DomainError as error:
        messages.error(request, str(error))
        return _render(request, application, formset, conflicts=conflicts, checked=True, status=400)
    deadline = human_deadline(placements[0].offer_deadline)
    messages.success(
        request,
        _("The offer is published; the applicant is told by e-mail and has until %(deadline)s to answer.")
        % {"deadline": deadline},
    )
    return redirect("staff:application", uuid=application.uuid)
