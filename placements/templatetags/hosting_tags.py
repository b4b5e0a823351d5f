"""Host department panels included in pages of other apps: the staff application page (the
department's confirmation, interrupting, absences) and the applicant's (running state, absences)."""

from django import template
from django.db.models import prefetch_related_objects

from applicants.enums import ALLOCATION_STATES, PLACED_STATES
from placements.allocation.enums import ACTIVE_STATES, FINISHED_STATES, RUNNING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.hosting.enums import ConfirmationStatus
from placements.hosting.models import HostConfirmation
from placements.hosting.services import CONFIRMABLE_STATES
from placements.templatetags.placement_tags import page_rights, placements_of

register = template.Library()


# Absences are recorded for a confirmed or running placement and stay with it once it is over: only
# these placements are asked for theirs.
ABSENCE_STATES = (*RUNNING_STATES, *FINISHED_STATES)


def _placements(application, states) -> list[Placement]:
    placements = placements_of(application, states)
    prefetch_related_objects([p for p in placements if p.status in ABSENCE_STATES], "absences")
    return placements


@register.inclusion_tag("hosting/staff/_panel.html", takes_context=True)
def staff_hosting_panel(context, application):
    """Each placement's answer of its department, the request and interruption forms, the absences
    (nothing, and no query, before the application is accepted or waitlisted)."""
    if application.status not in ALLOCATION_STATES:
        return {"show": False}
    if not page_rights(context, application)["see_placements_panel"]:
        return {"show": False}
    placements = _placements(application, (*ACTIVE_STATES, *FINISHED_STATES))
    return {
        "show": bool(placements),
        "application": application,
        "placements": placements,
        "confirmable": CONFIRMABLE_STATES,
        "running": RUNNING_STATES,
        "with_absences": ABSENCE_STATES,
        "asked": ConfirmationStatus.REQUESTED,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("hosting/_applicant_card.html", takes_context=True)
def applicant_hosting_card(context, application):
    """For the trainee: a placement that is running, over or interrupted, and the absences recorded
    (no query before the application is offered or confirmed)."""
    if application.status not in PLACED_STATES:
        return {"show": False}
    if not page_rights(context, application)["see_schedule"]:
        return {"show": False}
    placements = [
        p
        for p in _placements(application, ABSENCE_STATES)
        if p.status != PlacementStatus.CONFIRMED or list(p.absences.all())
    ]
    return {"show": bool(placements), "placements": placements}


@register.inclusion_tag("hosting/staff/_calendar_answers.html")
def calendar_host_answers(calendar, programmes, chosen=None):
    """The departments' answers about the placements shown on the capacity calendar (one query)."""
    programme_ids = [chosen.pk] if chosen else [p.pk for p in programmes]
    answers = list(
        HostConfirmation.objects.filter(
            placement__application__programme_id__in=programme_ids,
            placement__status__in=CONFIRMABLE_STATES,
            placement__start_week__lte=calendar.end,
            placement__end_week__gte=calendar.start,
        )
        .select_related("placement__department__institution", "placement__application__applicant")
        .order_by("placement__start_week", "pk")
    )
    return {"answers": answers}
