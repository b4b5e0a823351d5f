"""Fetching the objects of training for the person asking: the trainee's own placements and entries,
a supervisor's placements (through placements.hosting.access). Anyone else gets a 404."""

from django.http import Http404

from applicants.models import Application
from placements.allocation.models import Placement
from placements.hosting.access import placements_for_supervisor
from placements.training import rules
from placements.training.models import Evaluation, LogbookEntry

RELATED = ("department__institution", "department__specialization", "application__programme__provider")


def trainee_placement(user, uuid) -> Placement:
    placement = (
        Placement.objects.filter(uuid=uuid, application__applicant_id=user.pk, status__in=rules.TRAINEE_STATES)
        .select_related(*RELATED, "application__applicant")
        .first()
    )
    if placement is None:
        raise Http404("No such page.")
    return placement


def trainee_entry(user, uuid) -> LogbookEntry:
    entry = (
        LogbookEntry.objects.filter(uuid=uuid, placement__application__applicant_id=user.pk)
        .select_related(
            "competency__group", *(f"placement__{name}" for name in RELATED), "placement__application__applicant"
        )
        .first()
    )
    if entry is None or entry.placement.status not in rules.TRAINEE_STATES:
        raise Http404("No such page.")
    return entry


def trainee_evaluation(user, uuid) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(uuid=uuid, placement__application__applicant_id=user.pk, status="submitted")
        .select_related("form", *(f"placement__{name}" for name in RELATED), "placement__application__applicant")
        .first()
    )
    if evaluation is None or evaluation.placement.status not in rules.TRAINEE_STATES:
        raise Http404("No such page.")
    return evaluation


def trainee_application(user, uuid) -> Application:
    """The trainee's own application with at least one placement they can see the training of."""
    application = (
        Application.objects.filter(uuid=uuid, applicant_id=user.pk, placements__status__in=rules.TRAINEE_STATES)
        .select_related("programme__provider", "applicant")
        .first()
    )
    if application is None:
        raise Http404("No such page.")
    return application


def supervised_placement(user, uuid) -> Placement:
    placement = (
        placements_for_supervisor(user)
        .filter(uuid=uuid, status__in=rules.TRAINEE_STATES)
        .select_related(*RELATED, "application__applicant")
        .first()
    )
    if placement is None:
        raise Http404("No such page.")
    return placement


def supervised_entry(user, uuid) -> LogbookEntry:
    entry = (
        LogbookEntry.objects.filter(uuid=uuid, placement__in=placements_for_supervisor(user))
        .select_related("placement")
        .first()
    )
    if entry is None:
        raise Http404("No such page.")
    return entry
