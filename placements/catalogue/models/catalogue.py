"""The catalogue: who hosts trainees, what can be applied for, and under which rules.

Everything a programme asks of an applicant is data edited in the admin; no code names a programme.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from placements.catalogue.enums import AutomaticCheck, CheckFailure, FileKind, IntakeMode, QuestionKind


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. BE or NL."))
    recognized = models.BooleanField(
        _("recognized"),
        default=False,
        help_text=_("Recognized as a training site for medical physics experts."),
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Specialization(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("specialization")
        verbose_name_plural = _("specializations")
        ordering = ["name"]

    def __str__(self):
        return self.name


def department_label(name: str, institution: str) -> str:
    """A department's name with its hospital's: "Radiotherapy physics, UZ Leuven" (see Department.label)."""
    return f"{name}, {institution}"


class Department(models.Model):
    """A host unit that takes trainees; a section sits under a parent department."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="departments", verbose_name=_("institution")
    )
    specialization = models.ForeignKey(
        Specialization, on_delete=models.PROTECT, related_name="departments", verbose_name=_("specialization")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="sections", verbose_name=_("parent")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    weekly_capacity = models.PositiveSmallIntegerField(
        _("weekly capacity"), default=1, help_text=_("How many trainees the department can host in one week.")
    )
    contact_name = models.CharField(
        _("contact name"),
        max_length=150,
        blank=True,
        help_text=_("The person trainees ask for; printed on the placement confirmation."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # Where and when trainees report, for the placement confirmation; a section left blank uses its department's.
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_(
            "Where trainees report: building, entrance or floor, street, postcode and town. "
            "A section left blank uses its department's."
        ),
    )
    reporting_time = models.TimeField(
        _("reporting time"),
        null=True,
        blank=True,
        help_text=_("When trainees report on their first day, e.g. 08:30."),
    )
    working_hours = models.CharField(
        _("working hours"),
        max_length=100,
        blank=True,
        help_text=_("The usual hours, e.g. Monday to Friday, 8:00 to 16:30."),
    )
    first_day_notes = models.TextField(
        _("first day notes"),
        blank=True,
        help_text=_("What to bring and where to go on arrival; printed on the placement confirmation."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["institution__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="department_unique_name_per_institution")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The department as every page, export, e-mail and PDF names it: with its hospital, since two
        hospitals may each have a "Radiotherapy physics" ("Radiotherapy physics, UZ Leuven"). Load the
        institution with it (select_related) where many are shown."""
        return department_label(self.name, str(self.institution))

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A department cannot be its own parent.")})
        if self.parent and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": _("A section must belong to a department of the same institution.")})


class DocumentType(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to the applicant next to the upload.")
    )
    allowed_kinds = models.JSONField(
        _("allowed kinds"),
        default=list,
        help_text=format_lazy(_("File kinds accepted: a list of {kinds}."), kinds=", ".join(FileKind.values)),
    )
    automatic_check = models.CharField(
        _("automatic check"),
        max_length=30,
        choices=AutomaticCheck.choices,
        default=AutomaticCheck.NONE,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # JSON may hold anything: a number, a string, nested lists.
        kinds = self.allowed_kinds if isinstance(self.allowed_kinds, list) else []
        if not kinds or not all(isinstance(kind, str) and kind in FileKind.values for kind in kinds):
            message = _("Give a non-empty list of: %(kinds)s.") % {"kinds": ", ".join(FileKind.values)}
            raise ValidationError({"allowed_kinds": message})


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Programme(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("provider")
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        unique=True,
        help_text=_("Starts every application reference, e.g. ABC-2027-0042."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    audience = models.TextField(_("who it is for"), blank=True)
    language = models.CharField(_("language"), max_length=50, default="English")
    intake_mode = models.CharField(_("intake mode"), max_length=10, choices=IntakeMode.choices)
    lead_time_months = models.PositiveSmallIntegerField(
        _("lead time months"),
        default=0,
        help_text=_("How many months before the requested start an application must arrive."),
    )
    applications_open = models.DateField(
        _("applications open"), null=True, blank=True, help_text=_("Cohort intake: first day to apply.")
    )
    applications_close = models.DateField(
        _("applications close"), null=True, blank=True, help_text=_("Cohort intake: last day to apply.")
    )
    min_total_weeks = models.PositiveSmallIntegerField(_("min total weeks"), default=1)
    max_total_weeks = models.PositiveSmallIntegerField(_("max total weeks"), default=52)
    document_types = models.ManyToManyField(
        DocumentType, through="ProgrammeDocument", related_name="programmes", verbose_name=_("document types")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_programmes", verbose_name=_("coordinators")
    )
    published = models.BooleanField(_("published"), default=False)
    retention_months = models.PositiveSmallIntegerField(
        _("retention months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Documents of a finished application are deleted this many months after the final decision."),
    )
    history = HistoricalRecords(m2m_fields=[coordinators])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:programme_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.min_total_weeks > self.max_total_weeks:
            errors["max_total_weeks"] = _("The maximum must not be below the minimum.")
        if self.applications_open and self.applications_close and self.applications_open > self.applications_close:
            errors["applications_close"] = _("Applications cannot close before they open.")
        if errors:
            raise ValidationError(errors)


class ProgrammeDocument(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="programme_documents", verbose_name=_("programme")
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, verbose_name=_("document type"))
    required = models.BooleanField(_("required"), default=True)
    instructions = models.CharField(_("instructions"), max_length=300, blank=True)
    when_check_fails = models.CharField(
        _("when check fails"),
        max_length=10,
        choices=CheckFailure.choices,
        default=CheckFailure.WARN,
        help_text=_(
            "When the document type's automatic check finds a problem (e.g. a letter without the "
            "requested dates): only warn the coordinator, or block submitting until the applicant replaces the "
            "file or confirms that it is right."
        ),
    )
    shared_with_hosts = models.BooleanField(
        _("shared with hosts"),
        default=False,
        help_text=_("The supervisors of the host department may download this document of a placed trainee."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme document")
        verbose_name_plural = _("programme documents")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "document_type"], name="programme_document_unique")]

    def __str__(self):
        return _("%(document)s for %(programme)s") % {"document": self.document_type, "programme": self.programme}


class EligibilityQuestion(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="questions", verbose_name=_("programme")
    )
    text = models.CharField(_("text"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO)
    must_answer_yes = models.BooleanField(
        _("must answer yes"),
        default=False,
        help_text=_("Yes/no questions only: applicants who answer no are not eligible."),
    )
    refusal_message = models.CharField(
        _("refusal message"),
        max_length=300,
        blank=True,
        help_text=_("Shown when a required yes is answered no."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text
