"""What a host supervisor may see: their departments (and those departments' sections) and the
placements in them. Every supervisor page fetches through these, so anyone else gets a 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from applicants.enums import DocumentState
from applicants.models import Document
from placements.allocation.enums import FINISHED_STATES, SEAT_HOLDING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.models import Department, ProgrammeDocument
from placements.hosting.models import Supervision

# A supervisor sees the placements that hold (or held) a seat in their department, the interrupted
# ones, and a proposal only once a coordinator asked the department to confirm it.
HOSTED_STATES = tuple(dict.fromkeys((*SEAT_HOLDING_STATES, *FINISHED_STATES)))


def supervised_departments(user) -> QuerySet[Department]:
    """The departments `user` supervises, and the sections of those departments."""
    if user is None or not user.is_authenticated:
        return Department.objects.none()
    direct = Supervision.objects.filter(user=user).values("department_id")
    return Department.objects.filter(Q(pk__in=direct) | Q(parent_id__in=direct))


def is_supervisor(user) -> bool:
    return user is not None and user.is_authenticated and Supervision.objects.filter(user=user).exists()


def placements_for_supervisor(user) -> QuerySet[Placement]:
    """The placements in `user`'s departments that a host takes part in; never another department's."""
    if user is None or not user.is_authenticated:
        return Placement.objects.none()
    departments = supervised_departments(user).values("pk")
    shown = Q(status__in=HOSTED_STATES) | Q(status=PlacementStatus.PROPOSED, host_confirmation__isnull=False)
    return Placement.objects.filter(shown, department__in=departments)


def placement_for_supervisor_or_404(user, uuid) -> Placement:
    placement = (
        placements_for_supervisor(user)
        .select_related("department__institution", "department__parent", "application__programme")
        .filter(uuid=uuid)
        .first()
    )
    if placement is None:
        raise Http404
    return placement


def supervisors_of(department: Department) -> QuerySet:
    """The users who supervise `department`, directly or as supervisors of its parent department."""
    ids = [department.pk] + ([department.parent_id] if department.parent_id else [])
    return Supervision.objects.filter(department_id__in=ids).select_related("user")


def shared_documents(placement: Placement) -> QuerySet:
    """The trainee's checked documents of the types the programme shares with host departments."""
    shared_types = ProgrammeDocument.objects.filter(
        programme_id=placement.application.programme_id, shared_with_hosts=True
    ).values("document_type_id")
    return (
        Document.objects.filter(
            application_id=placement.application_id, state=DocumentState.READY, document_type_id__in=shared_types
        )
        .select_related("document_type", "application")
        .order_by("document_type__name")
    )


def shared_document_for_supervisor_or_404(user, placement_uuid, document_uuid) -> Document:
    placement = placement_for_supervisor_or_404(user, placement_uuid)
    document = shared_documents(placement).filter(uuid=document_uuid).first()
    if document is None:
        raise Http404
    return document
