from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    OFFERED = "offered", _("Placement offered")
    CONFIRMED = "confirmed", _("Placement confirmed")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# An applicant may hold one application per programme in these states.
OPEN_STATES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.CONFIRMED,
)
# The applicant may withdraw from these.
WITHDRAWABLE_STATES = OPEN_STATES
# Waiting for a seat: a proposal of placements can be saved for these, and a freed seat suggested.
WAITING_STATES = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)
# An offer can be published for these (for an offered application it replaces the offer).
OFFERABLE_STATES = (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED)
# Placements can be laid out for these: a proposal while waiting, an offer once accepted.
ASSIGNABLE_STATES = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.OFFERED)
# The applicant has placements to see: offered to them, or confirmed.
PLACED_STATES = (ApplicationStatus.OFFERED, ApplicationStatus.CONFIRMED)
# Allocation concerns these, from the decision to a confirmed placement.
ALLOCATION_STATES = (*WAITING_STATES, *PLACED_STATES)
FINAL_STATES = (
    ApplicationStatus.REJECTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.EXPIRED,
)


class DocumentState(models.TextChoices):
    PENDING = "pending", _("Being checked")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Refused")


class CheckStatus(models.TextChoices):
    PASS = "pass", _("Passed")
    WARN = "warn", _("Needs a look")
    UNCHECKED = "unchecked", _("Not checked automatically")  # the check could not read the content


class EnglishLevel(models.TextChoices):
    NATIVE = "native", _("Native speaker")
    C2 = "C2", _("C2 (proficient)")
    C1 = "C1", _("C1 (advanced)")
    B2 = "B2", _("B2 (upper intermediate)")
    B1 = "B1", _("B1 or below")


class StudyPhase(models.TextChoices):
    PRECLINICAL = "preclinical", _("Medical student, pre-clinical phase")
    CLINICAL = "clinical", _("Medical student, clinical phase")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTOR = "doctor", _("Medical doctor or PhD")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    CREATED = "created", _("Application started")
    STATUS_CHANGED = "status_changed", _("Status changed")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_PROCESSED = "document_processed", _("Document checked")
    DOCUMENT_DELETED = "document_deleted", _("Document deleted")
    EMAIL_SENT = "email_sent", _("E-mail sent")
    EMAIL_FAILED = "email_failed", _("E-mail failed")
    NOTE = "note", _("Note")
    DOCUMENT_VIEWED = "document_viewed", _("Document viewed by staff")
    PLACEMENT_CHANGED = "placement_changed", _("Placements changed")
    CHECK_CONFIRMED = "check_confirmed", _("Document confirmed by the applicant")
    HOSPITAL_APPROVED = "hospital_approved", _("Proposed hospital approved")
    HOSPITAL_REFUSED = "hospital_refused", _("Proposed hospital refused")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the coordinator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation yet")
    ACCEPT = "accept", _("Accept")
    WAITLIST = "waitlist", _("Waitlist")
    REJECT = "reject", _("Reject")


class WizardStep(models.TextChoices):
    """The steps of the application wizard, in order, with the label of the step indicator."""

    PROFILE = "profile", _("Profile")
    ELIGIBILITY = "eligibility", _("Eligibility")
    COMPONENTS = "components", _("Choice")
    DATES = "dates", _("Dates")
    DOCUMENTS = "documents", _("Documents")
    REVIEW = "review", _("Review and submit")


class WizardStepState(models.TextChoices):
    """Where a step of the wizard stands, with the words the step indicator says it in."""

    DONE = "done", _("done")
    ATTENTION = "attention", _("needs attention")
    CHECKING = "checking", _("being checked")
    TODO = "todo", _("to do")
