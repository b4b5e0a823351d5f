from django.db import models


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    ACCEPTED = "accepted", "Accepted"
    WAITLISTED = "waitlisted", "Waitlisted"
    REJECTED = "rejected", "Rejected"
    OFFERED = "offered", "Placement offered"
    CONFIRMED = "confirmed", "Placement confirmed"
    DECLINED = "declined", "Offer declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


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
    PENDING = "pending", "Being checked"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Refused"


class CheckStatus(models.TextChoices):
    PASS = "pass", "Passed"
    WARN = "warn", "Needs a look"
    UNCHECKED = "unchecked", "Not checked automatically"  # the check could not read the content


class EnglishLevel(models.TextChoices):
    NATIVE = "native", "Native speaker"
    C2 = "C2", "C2 (proficient)"
    C1 = "C1", "C1 (advanced)"
    B2 = "B2", "B2 (upper intermediate)"
    B1 = "B1", "B1 or below"


class StudyPhase(models.TextChoices):
    PRECLINICAL = "preclinical", "Medical student, pre-clinical phase"
    CLINICAL = "clinical", "Medical student, clinical phase"
    BACHELOR = "bachelor", "Bachelor's degree"
    MASTER = "master", "Master's degree"
    DOCTOR = "doctor", "Medical doctor or PhD"
    OTHER = "other", "Other"


class EventKind(models.TextChoices):
    CREATED = "created", "Application started"
    STATUS_CHANGED = "status_changed", "Status changed"
    DOCUMENT_UPLOADED = "document_uploaded", "Document uploaded"
    DOCUMENT_PROCESSED = "document_processed", "Document checked"
    DOCUMENT_DELETED = "document_deleted", "Document deleted"
    EMAIL_SENT = "email_sent", "E-mail sent"
    EMAIL_FAILED = "email_failed", "E-mail failed"
    NOTE = "note", "Note"
    DOCUMENT_VIEWED = "document_viewed", "Document viewed by staff"
    PLACEMENT_CHANGED = "placement_changed", "Placements changed"
    CHECK_CONFIRMED = "check_confirmed", "Document confirmed by the applicant"
    HOSPITAL_APPROVED = "hospital_approved", "Proposed hospital approved"
    HOSPITAL_REFUSED = "hospital_refused", "Proposed hospital refused"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the coordinator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class Recommendation(models.TextChoices):
    NONE = "", "No recommendation yet"
    ACCEPT = "accept", "Accept"
    WAITLIST = "waitlist", "Waitlist"
    REJECT = "reject", "Reject"


class WizardStep(models.TextChoices):
    """The steps of the application wizard, in order, with the label of the step indicator."""

    PROFILE = "profile", "Profile"
    ELIGIBILITY = "eligibility", "Eligibility"
    COMPONENTS = "components", "Choice"
    DATES = "dates", "Dates"
    DOCUMENTS = "documents", "Documents"
    REVIEW = "review", "Review and submit"


class WizardStepState(models.TextChoices):
    """Where a step of the wizard stands, with the words the step indicator says it in."""

    DONE = "done", "done"
    ATTENTION = "attention", "needs attention"
    CHECKING = "checking", "being checked"
    TODO = "todo", "to do"
