"""Placement panels included in pages of other apps: the staff application page and the applicant's."""

from datetime import timedelta

from django import template

from applicants.enums import ApplicationStatus
from placements.allocation.enums import ACTIVE_STATES, PlacementStatus, SeatProposalStatus
from placements.allocation.models import Placement, SeatProposal
from placements.allocation.queries.schedule import applicant_schedule

register = template.Library()
S = ApplicationStatus
# The staff panel shows from the decision on: proposals, offers and confirmed placements.
PANEL_STATES = (S.ACCEPTED, S.WAITLISTED, S.OFFERED, S.CONFIRMED)


@register.filter
def weeks_phrase(item) -> str:
    """The weeks of a placement or a seat proposal in words, e.g. "weeks 12-13" (or "weeks 52-2"
    across a new year: it is one run of weeks in date order)."""
    return weeks_in_words(item.start_week, item.weeks)


def weeks_in_words(start, count: int) -> str:
    first = start.isocalendar().week
    if count == 1:
        return f"week {first}"
    last = (start + timedelta(weeks=count - 1)).isocalendar().week
    return f"weeks {first}–{last}"


@register.filter
def score(value) -> str:
    """A review score without trailing zeros: 4.50 -> "4.5"."""
    return "" if value is None else format(value.normalize(), "f")


@register.inclusion_tag("staff/placements/_panel.html", takes_context=True)
def staff_placements_panel(context, application):
    """The application's placements, the assignment link and the freed seats suggested for it
    (nothing, and no query, before the application is accepted or waitlisted)."""
    if application.status not in PANEL_STATES:
        return {"show": False}
    placements = list(
        Placement.objects.filter(application=application, status__in=ACTIVE_STATES)
        .select_related("department__institution")
        .order_by("start_week", "pk")
    )
    proposals = list(
        SeatProposal.objects.filter(application=application, status=SeatProposalStatus.OPEN)
        .select_related("department")
        .order_by("start_week", "pk")
    )
    if application.status not in (S.ACCEPTED, S.WAITLISTED):
        proposals = []
    has_proposal = any(p.status == PlacementStatus.PROPOSED for p in placements)
    return {
        "show": True,
        "application": application,
        "placements": placements,
        "seat_proposals": proposals,
        "can_assign": application.status in (S.ACCEPTED, S.WAITLISTED, S.OFFERED),
        "can_publish_proposal": has_proposal and application.status in (S.ACCEPTED, S.OFFERED),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("placements/applicant/_schedule.html", takes_context=True)
def applicant_placement_card(context, application, is_applicant=False):
    """The schedule offered to or confirmed for the applicant, with the answer buttons and the PDF
    (no query in other states: only an offered or confirmed application has such placements)."""
    if application.status not in (S.OFFERED, S.CONFIRMED):
        return {"schedule": None}
    schedule = applicant_schedule(application)
    return {
        "application": application,
        "schedule": schedule,
        "is_applicant": is_applicant,
        "is_offered": application.status == S.OFFERED,
        "is_confirmed": application.status == S.CONFIRMED,
        "csrf_token": context.get("csrf_token"),
    }
