"""Placement panels included in pages of other apps: the staff application page and the applicant's."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from applicants.enums import ALLOCATION_STATES, PLACED_STATES, ApplicationStatus
from placements.allocation import rules
from placements.allocation.dates import weeks_in_words
from placements.allocation.enums import ACTIVE_STATES, PlacementStatus, SeatProposalStatus
from placements.allocation.models import Placement, SeatProposal
from placements.allocation.queries.schedule import applicant_schedule
from placements.catalogue.selectors import with_departments

register = template.Library()


def placements_of(application, states) -> list[Placement]:
    """The application's placements in `states`, in date order. The page's panels share one read of
    all of them (with the department's answer); their departments come from the catalogue's cache."""
    every = Placement.objects.select_related("host_confirmation").order_by("start_week", "pk")
    prefetch_related_objects([application], Prefetch("placements", queryset=every))  # once per page
    placements = list(application.placements.all())
    unnamed = [placement for placement in placements if not Placement.department.is_cached(placement)]
    if unnamed:
        with_departments(unnamed, application.programme_id)
    return [placement for placement in placements if placement.status in states]


@register.filter
def weeks_phrase(item) -> str:
    """The weeks of a placement or a seat proposal in words, e.g. "weeks 12-13" (or "weeks 52-2"
    across a new year: it is one run of weeks in date order)."""
    return weeks_in_words(item.start_week, item.weeks)


@register.filter
def score(value) -> str:
    """A review score without trailing zeros: 4.50 -> "4.5"."""
    return "" if value is None else format(value.normalize(), "f")


def page_rights(context, application) -> dict[str, bool]:
    """`rules.rights` for the page's user, with the programmes they coordinate when the page's staff
    check has read them already (no second query on the coordinators per panel)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return rules.rights(user, application, coordinated=getattr(request, "staff_scope", None))


@register.inclusion_tag("staff/placements/_panel.html", takes_context=True)
def staff_placements_panel(context, application):
    """The application's placements, the assignment link and the freed seats suggested for it
    (nothing, and no query, before the application is accepted or waitlisted)."""
    if application.status not in ALLOCATION_STATES:
        return {"show": False}
    rights = page_rights(context, application)
    if not rights["see_placements_panel"]:
        return {"show": False}
    placements = placements_of(application, ACTIVE_STATES)
    proposals = []
    if rights["propose_placements"]:
        proposals = with_departments(
            list(
                SeatProposal.objects.filter(application=application, status=SeatProposalStatus.OPEN).order_by(
                    "start_week", "pk"
                )
            ),
            application.programme_id,
        )
    has_proposal = any(p.status == PlacementStatus.PROPOSED for p in placements)
    return {
        "show": True,
        "application": application,
        "placements": placements,
        "seat_proposals": proposals,
        "can_assign": rights["assign_placements"],
        "can_publish_proposal": has_proposal and rights["publish_offer"],
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("placements/applicant/_schedule.html", takes_context=True)
def applicant_placement_card(context, application):
    """The schedule offered to or confirmed for the applicant, with the answer buttons and the PDF
    (no query in other states: only an offered or confirmed application has such placements)."""
    if application.status not in PLACED_STATES:
        return {"schedule": None}
    rights = page_rights(context, application)
    if not rights["see_schedule"]:
        return {"schedule": None}
    return {
        "application": application,
        "schedule": applicant_schedule(application),
        "is_offered": application.status == ApplicationStatus.OFFERED,
        "is_confirmed": application.status == ApplicationStatus.CONFIRMED,
        "can_answer": rights["accept_offer"],
        "can_decline": rights["decline_offer"],
        "can_download": rights["download_confirmation"],
        "csrf_token": context.get("csrf_token"),
    }
