"""E-mail templates (edited in the admin) and the log of every message the portal sends."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.mail.rendering import PLACEHOLDERS, template_problems


class EmailCode(models.TextChoices):
    """What an e-mail is about: an application status it announces, or a reminder."""

    SUBMITTED = "submitted", _("Application received")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    OFFERED = "offered", _("Placement offered")
    REMINDER_DRAFT = "reminder_draft", _("Reminder: unfinished draft (to the applicant)")
    REMINDER_INFO = "reminder_info", _("Reminder: unanswered information request (to the applicant)")
    REMINDER_REVIEW = "reminder_review", _("Reminder: application waiting for review (to the coordinators)")
    TRAINING_EVALUATION_DUE = "training_evaluation_due", _("Reminder: an evaluation is due (to the supervisors)")
    TRAINING_LOGBOOK_WAITING = (
        "training_logbook_waiting",
        _("Reminder: logbook entries wait for sign-off (to the supervisors)"),
    )
    HOST_INVITATION = "host_invitation", _("Invitation to supervise trainees (to a host supervisor)")
    HOST_CONFIRMATION_REQUESTED = (
        "host_confirmation_requested",
        _("Request to confirm a placement (to the host department's supervisors)"),
    )
    PLACEMENT_STARTING = (
        "placement_starting",
        _("Reminder: a placement starts in a week (to the trainee and the supervisors)"),
    )


class EmailLanguage(models.TextChoices):
    ENGLISH = "en", "English"
    DUTCH = "nl", "Nederlands"


def _placeholder_list() -> str:
    return "; ".join(f"{{{{ {name} }}}} – {meaning}" for name, meaning in PLACEHOLDERS.items())


# Lazy, so that the admin shows them in the language of the page.
_placeholders = lazy(_placeholder_list, str)()


class EmailTemplate(models.Model):
    """The subject and body of one kind of e-mail in one language."""

    code = models.CharField(_("code"), max_length=40, choices=EmailCode.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=EmailLanguage.choices, default=EmailLanguage.ENGLISH
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        help_text=format_lazy(_("Placeholders: {placeholders}"), placeholders=_placeholders),
    )
    body = models.TextField(
        _("body"), help_text=format_lazy(_("Plain text. Placeholders: {placeholders}"), placeholders=_placeholders)
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive template is not used; the English one stands in, or nothing is sent."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ["code", "language"]
        constraints = [models.UniqueConstraint(fields=["code", "language"], name="email_template_one_per_language")]

    def __str__(self):
        return f"{self.get_code_display()} ({self.language})"

    def clean(self):
        errors = {}
        for field in ("subject", "body"):
            problems = template_problems(getattr(self, field) or "", language=self.language or "en")
            if problems:
                errors[field] = problems
        if errors:
            raise ValidationError(errors)


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailLog(models.Model):
    """One message: what was (to be) sent to whom, and how each attempt went.

    The row is written in the transaction that decides to send; the worker claims it, sends it
    and records the outcome. `event` + `template_code`, or `occasion`, make queueing idempotent.
    """

    to = models.TextField(_("to"), help_text=_("Recipients, separated by commas."))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    template_code = models.CharField(_("template code"), max_length=40, choices=EmailCode.choices, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=EmailLanguage.choices, default=EmailLanguage.ENGLISH
    )
    application = models.ForeignKey(
        "applicants.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_logs",
        verbose_name=_("application"),
    )
    event = models.ForeignKey(
        "applicants.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_logs",
        verbose_name=_("event"),
    )
    occasion = models.CharField(
        _("occasion"),
        max_length=120,
        blank=True,
        help_text=_("What a reminder is about, e.g. 'reminder_draft:42:2027-01-15'."),
    )
    status = models.CharField(_("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True, help_text=_("When a worker last took it on.")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail log entry")
        verbose_name_plural = _("e-mail log")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "template_code"],
                condition=Q(event__isnull=False),
                name="email_log_one_per_event_and_code",
            ),
            models.UniqueConstraint(fields=["occasion"], condition=~Q(occasion=""), name="email_log_one_per_occasion"),
        ]
        indexes = [
            models.Index(fields=["application", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return _("%(subject)s to %(to)s (%(status)s)") % {
            "subject": self.subject,
            "to": self.to,
            "status": self.get_status_display(),
        }

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]
