"""Training panels included in pages of other apps: the applicant's application page (links to the
training pages and the certificate) and the staff application page (progress, evaluations, feedback)."""

from django import template

from applicants.enums import ApplicationStatus
from placements.allocation.models import Placement
from placements.templatetags.placement_tags import placements_of
from placements.training import rules
from placements.training.enums import EntryStatus
from placements.training.models import Certificate, Evaluation, LogbookEntry, PlacementFeedback
from placements.training.queries import hours_text, progress_chart, progress_of

register = template.Library()

register.filter("hours", hours_text)


def _placements(application) -> list[Placement]:
    return placements_of(application, rules.TRAINEE_STATES)


@register.inclusion_tag("training/_applicant_card.html")
def trainee_training_card(application, is_applicant=True):
    """The trainee's links (nothing, and no query, before the placement is confirmed)."""
    if not is_applicant or application.status != ApplicationStatus.CONFIRMED:
        return {"show": False}
    placements = _placements(application)
    return {
        "show": bool(placements),
        "application": application,
        "placements": placements,
        "logbook": rules.keeps_logbook(application.programme),
        "certificate": Certificate.objects.filter(application=application).first(),
    }


@register.inclusion_tag("training/_staff_panel.html")
def staff_training_panel(application):
    """Progress per competency, evaluations and the trainee's feedback, for the coordinator."""
    if application.status != ApplicationStatus.CONFIRMED:
        return {"show": False}
    placements = _placements(application)
    if not placements:
        return {"show": False}
    rows = progress_of(placements) if rules.keeps_logbook(application.programme) else []
    return {
        "show": True,
        "placements": placements,
        "progress": rows,
        "chart": progress_chart(rows, chart_id="staff-progress-chart") if rows else None,
        "evaluations": Evaluation.objects.filter(placement__in=placements).select_related("placement__department"),
        "feedback": PlacementFeedback.objects.filter(placement__in=placements).select_related(
            "placement__department__institution"
        ),
        "certificate": Certificate.objects.filter(application=application).first(),
    }


@register.inclusion_tag("training/_supervisor_link.html")
def supervisor_training_link(placement):
    """On the supervisor's placement page: the way to the logbook and the evaluations, with what waits."""
    if placement.status not in rules.TRAINEE_STATES:
        return {"show": False}
    return {
        "show": True,
        "placement": placement,
        "logbook": rules.keeps_logbook(placement.application.programme),
        "waiting": LogbookEntry.objects.filter(placement=placement, status=EntryStatus.SUBMITTED).count(),
    }
