"""Writes on applications: one function per business action of the applicant (withdrawing, which
gives back the placements too, is `placements.allocation.services.lifecycle.application_withdraw`)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from applicants import workflow
from applicants.enums import FINAL_STATES, ApplicationStatus, EventKind
from applicants.errors import DomainError
from applicants.models import Application, ApplicationComponent, Event, ReferenceCounter
from applicants.services.notices import privacy_notice_current
from placements.catalogue.models import Offering, Programme
from placements.catalogue.validation import intakes_closed

# The version of the latest published privacy notice, read when used (a lazy string); new code calls
# privacy_notice_current().
PRIVACY_NOTICE_VERSION = lazy(lambda: privacy_notice_current().version, str)()


@dataclass(frozen=True)
class ComponentInput:
    offering_id: int
    weeks: int
    rank: int


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("A submitted application can no longer be changed."))


def _mark_step(application: Application, step: str) -> None:
    if step not in application.completed_steps:
        application.completed_steps = [*application.completed_steps, step]


def application_start(*, applicant, programme: Programme) -> Application:
    """Open a draft for `programme`, or return the applicant's open draft for it; a programme whose
    intakes have all closed takes no new one."""
    if not programme.published:
        raise DomainError(_("This programme does not take applications."))
    open_one = (
        Application.objects.filter(applicant=applicant, programme=programme).exclude(status__in=FINAL_STATES).first()
    )
    if open_one is not None:
        if open_one.status == ApplicationStatus.DRAFT:
            return open_one
        message = _("You already have an open application for this programme (%(reference)s).")
        raise DomainError(message % {"reference": open_one.reference})
    if closed := intakes_closed(programme, timezone.localdate()):
        raise DomainError(closed)
    try:
        with transaction.atomic():
            application = Application.objects.create(applicant=applicant, programme=programme)
            Event.objects.create(application=application, actor=applicant, kind=EventKind.CREATED)
    except IntegrityError:
        raise DomainError(_("You already have an open application for this programme.")) from None
    return application


def application_save_answers(*, application: Application, answers: dict[int, object]) -> None:
    _require_draft(application)
    application.answers = {str(key): value for key, value in answers.items()}
    _mark_step(application, "eligibility")
    application.save(update_fields=["answers", "completed_steps", "updated_at"])


@transaction.atomic
def application_save_components(*, application: Application, components: list[ComponentInput]) -> None:
    """Replace the chosen components; offerings of other programmes are refused."""
    _require_draft(application)
    offering_ids = {c.offering_id for c in components}
    known = set(
        Offering.objects.filter(programme=application.programme, pk__in=offering_ids).values_list("pk", flat=True)
    )
    if known != offering_ids:
        raise DomainError(_("Choose only parts that this programme offers."))
    application.components.all().delete()
    ApplicationComponent.objects.bulk_create(
        ApplicationComponent(application=application, offering_id=c.offering_id, weeks=c.weeks, rank=c.rank)
        for c in components
    )
    _mark_step(application, "components")
    application.save(update_fields=["completed_steps", "updated_at"])


def application_save_dates(*, application: Application, start: date, end: date) -> None:
    _require_draft(application)
    application.start_date, application.end_date = start, end
    _mark_step(application, "dates")
    application.save(update_fields=["start_date", "end_date", "completed_steps", "updated_at"])


def application_give_consent(*, application: Application, consent: bool) -> None:
    _require_draft(application)
    application.consent_given_at = timezone.now() if consent else None
    application.privacy_notice_version = privacy_notice_current().version if consent else ""
    application.save(update_fields=["consent_given_at", "privacy_notice_version", "updated_at"])


def _next_reference(application: Application) -> str:
    year = (application.start_date or timezone.localdate()).year
    programme = application.programme
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(programme=programme, year=year)
    except IntegrityError:
        pass  # another submission created it first; the lock below serialises numbering
    counter = ReferenceCounter.objects.select_for_update().get(programme=programme, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{programme.reference_prefix}-{year}-{counter.last_number:04d}"


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Submit a complete draft: checks every guard, numbers it and queues the confirmation."""
    workflow.transition(application=application, name="submit", by=by, message=_("Application submitted."))
    application.reference = _next_reference(application)
    application.save(update_fields=["reference"])
    return application
