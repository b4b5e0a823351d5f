"""Hospitals an applicant proposes where a group accepts them ("UZ Leuven or another recognized
hospital"): saved with the draft, then approved by a coordinator (the hospital becomes a recognized
institution with a department and an offering of the group, and the application's choice) or refused
with a reason. Both decisions are on the timeline, where the applicant sees them."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from applicants import workflow
from applicants.enums import ApplicationStatus, EventKind, ProposalStatus
from applicants.errors import DomainError
from applicants.models import Application, ApplicationComponent, Event, HospitalProposal
from placements.catalogue.models import Department, Institution, Offering, OfferingGroup, Specialization


@dataclass(frozen=True)
class ProposalInput:
    specialization: Specialization
    hospital: str
    city: str
    country: str
    department: str
    contact_name: str
    contact_email: str
    weeks: int


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("A submitted application can no longer be changed."))


@transaction.atomic
def hospital_proposal_save(*, application: Application, group: OfferingGroup, proposal: ProposalInput) -> None:
    """Propose a hospital as the draft's choice in `group`, in place of any department chosen there."""
    _require_draft(application)
    if group.programme_id != application.programme_id or not group.accepts_proposals:
        raise DomainError(_("%(group)s: no hospital outside the list can be proposed here.") % {"group": group.title})
    application.components.filter(offering__group=group).delete()
    HospitalProposal.objects.update_or_create(
        application=application,
        group=group,
        defaults={**proposal.__dict__, "status": ProposalStatus.PENDING, "refusal_reason": ""},
    )


def hospital_proposal_withdraw(*, application: Application, group: OfferingGroup) -> None:
    """The draft chooses a listed department in `group` after all: its proposal there goes."""
    _require_draft(application)
    application.hospital_proposals.filter(group=group).delete()


def _pending(proposal: HospitalProposal, by) -> HospitalProposal:
    locked = (
        HospitalProposal.objects.select_for_update()
        .select_related("application__programme", "group")
        .get(pk=proposal.pk)
    )
    application = locked.application
    if workflow.role_of(by, application) not in workflow.STAFF:
        raise DomainError(_("Only the coordinators of this programme can do that."))
    if application.status == ApplicationStatus.DRAFT:
        raise DomainError(_("The application has not been submitted."))
    if locked.status != ProposalStatus.PENDING:
        raise DomainError(_("This proposal is already %(status)s.") % {"status": locked.get_status_display().lower()})
    return locked


def _unique_slug(text: str) -> str:
    base = slugify(text)[:44] or "department"
    slug, number = base, 1
    while Department.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _offering_for(proposal: HospitalProposal, weekly_capacity: int) -> Offering:
    institution, _created = Institution.objects.get_or_create(
        name=proposal.hospital, defaults={"city": proposal.city, "country": proposal.country}
    )
    if not institution.recognized:
        institution.recognized = True
        institution.save(update_fields=["recognized"])
    # The name as the applicant typed it is the department's English name (its Dutch one is added in
    # the admin), whichever language the approving coordinator reads.
    department, _created = Department.objects.get_or_create(
        institution=institution,
        name_en=proposal.department,
        defaults={
            "specialization": proposal.specialization,
            "slug": _unique_slug(f"{proposal.hospital} {proposal.department}"),
            "weekly_capacity": weekly_capacity,
            "contact_name": proposal.contact_name,
            "contact_email": proposal.contact_email,
        },
    )
    siblings = list(proposal.group.offerings.all())
    programme = proposal.application.programme
    offering, _created = Offering.objects.get_or_create(
        programme=programme,
        department=department,
        defaults={
            "group": proposal.group,
            "weeks_min": min((o.weeks_min for o in siblings), default=programme.min_total_weeks),
            "weeks_max": max((o.weeks_max for o in siblings), default=programme.max_total_weeks),
            "order": len(siblings),
        },
    )
    return offering


@transaction.atomic
def hospital_proposal_approve(*, proposal: HospitalProposal, by, weekly_capacity: int) -> HospitalProposal:
    """Approve a proposed hospital: a recognized institution with the department (taking
    `weekly_capacity` trainees a week) offered in the group, and the application's choice there."""
    proposal = _pending(proposal, by)
    application = proposal.application
    offering = _offering_for(proposal, weekly_capacity)
    rank = application.components.count() + 1
    ApplicationComponent.objects.update_or_create(
        application=application, offering=offering, defaults={"weeks": proposal.weeks, "rank": rank}
    )
    proposal.status, proposal.offering = ProposalStatus.APPROVED, offering
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    proposal.save(update_fields=["status", "offering", "decided_by", "decided_at"])
    with override(application.applicant.language or None):  # the applicant reads it on the timeline
        message = ngettext(
            "%(hospital)s is approved as a recognized hospital for %(group)s; "
            "it is now your choice there, for %(weeks)d week.",
            "%(hospital)s is approved as a recognized hospital for %(group)s; "
            "it is now your choice there, for %(weeks)d weeks.",
            proposal.weeks,
        ) % {"hospital": proposal.label, "group": proposal.group.title, "weeks": proposal.weeks}
    Event.objects.create(application=application, actor=by, kind=EventKind.HOSPITAL_APPROVED, message=message)
    return proposal


@transaction.atomic
def hospital_proposal_refuse(*, proposal: HospitalProposal, by, reason: str) -> HospitalProposal:
    """Refuse a proposed hospital with a reason the applicant reads on the timeline."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason, for the applicant."))
    proposal = _pending(proposal, by)
    proposal.status, proposal.refusal_reason = ProposalStatus.REFUSED, reason
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    proposal.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    with override(proposal.application.applicant.language or None):  # the applicant reads it on the timeline
        message = _("%(hospital)s is not approved: %(reason)s") % {"hospital": proposal.label, "reason": reason}
    Event.objects.create(application=proposal.application, actor=by, kind=EventKind.HOSPITAL_REFUSED, message=message)
    return proposal
