"""The catalogue: who hosts trainees, what can be applied for, and under which rules.

Everything a programme asks of an applicant is data edited in the admin; no code names a programme.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from placements.catalogue.enums import AutomaticCheck, CheckFailure, FileKind, IntakeMode, QuestionKind


class Institution(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166 code, e.g. BE or NL.")
    recognized = models.BooleanField(
        default=False, help_text="Recognized as a training site for medical physics experts."
    )
    website = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Specialization(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def department_label(name: str, institution: str) -> str:
    """A department's name with its hospital's: "Radiotherapy physics, UZ Leuven" (see Department.label)."""
    return f"{name}, {institution}"


class Department(models.Model):
    """A host unit that takes trainees; a section sits under a parent department."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="departments")
    specialization = models.ForeignKey(Specialization, on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="sections")
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True)
    weekly_capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many trainees the department can host in one week."
    )
    contact_name = models.CharField(
        max_length=150, blank=True, help_text="The person trainees ask for; printed on the placement confirmation."
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Where and when trainees report, for the placement confirmation; a section left blank uses its department's.
    address = models.TextField(
        blank=True,
        help_text="Where trainees report: building, entrance or floor, street, postcode and town. "
        "A section left blank uses its department's.",
    )
    reporting_time = models.TimeField(
        null=True, blank=True, help_text="When trainees report on their first day, e.g. 08:30."
    )
    working_hours = models.CharField(
        max_length=100, blank=True, help_text="The usual hours, e.g. Monday to Friday, 8:00 to 16:30."
    )
    first_day_notes = models.TextField(
        blank=True, help_text="What to bring and where to go on arrival; printed on the placement confirmation."
    )
    history = HistoricalRecords()

    class Meta:
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
            raise ValidationError({"parent": "A department cannot be its own parent."})
        if self.parent and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": "A section must belong to a department of the same institution."})


class DocumentType(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="Shown to the applicant next to the upload.")
    allowed_kinds = models.JSONField(
        default=list, help_text=f"File kinds accepted: a list of {', '.join(FileKind.values)}."
    )
    automatic_check = models.CharField(
        max_length=30, choices=AutomaticCheck.choices, default=AutomaticCheck.NONE, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # JSON may hold anything: a number, a string, nested lists.
        kinds = self.allowed_kinds if isinstance(self.allowed_kinds, list) else []
        if not kinds or not all(isinstance(kind, str) and kind in FileKind.values for kind in kinds):
            raise ValidationError({"allowed_kinds": f"Give a non-empty list of: {', '.join(FileKind.values)}."})


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Programme(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    provider = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="programmes")
    reference_prefix = models.CharField(
        max_length=8, unique=True, help_text="Starts every application reference, e.g. ABC-2027-0042."
    )
    summary = models.CharField(max_length=300)
    description = models.TextField()
    audience = models.TextField("who it is for", blank=True)
    language = models.CharField(max_length=50, default="English")
    intake_mode = models.CharField(max_length=10, choices=IntakeMode.choices)
    lead_time_months = models.PositiveSmallIntegerField(
        default=0, help_text="How many months before the requested start an application must arrive."
    )
    applications_open = models.DateField(null=True, blank=True, help_text="Cohort intake: first day to apply.")
    applications_close = models.DateField(null=True, blank=True, help_text="Cohort intake: last day to apply.")
    min_total_weeks = models.PositiveSmallIntegerField(default=1)
    max_total_weeks = models.PositiveSmallIntegerField(default=52)
    document_types = models.ManyToManyField(DocumentType, through="ProgrammeDocument", related_name="programmes")
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_programmes")
    published = models.BooleanField(default=False)
    retention_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Documents of a finished application are deleted this many months after the final decision.",
    )
    history = HistoricalRecords(m2m_fields=[coordinators])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:programme_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.min_total_weeks > self.max_total_weeks:
            errors["max_total_weeks"] = "The maximum must not be below the minimum."
        if self.applications_open and self.applications_close and self.applications_open > self.applications_close:
            errors["applications_close"] = "Applications cannot close before they open."
        if errors:
            raise ValidationError(errors)


class ProgrammeDocument(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="programme_documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    required = models.BooleanField(default=True)
    instructions = models.CharField(max_length=300, blank=True)
    when_check_fails = models.CharField(
        max_length=10,
        choices=CheckFailure.choices,
        default=CheckFailure.WARN,
        help_text="When the document type's automatic check finds a problem (e.g. a letter without the "
        "requested dates): only warn the coordinator, or block submitting until the applicant replaces the "
        "file or confirms that it is right.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "document_type"], name="programme_document_unique")]

    def __str__(self):
        return f"{self.document_type} for {self.programme}"


class EligibilityQuestion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO)
    must_answer_yes = models.BooleanField(
        default=False, help_text="Yes/no questions only: applicants who answer no are not eligible."
    )
    refusal_message = models.CharField(
        max_length=300, blank=True, help_text="Shown when a required yes is answered no."
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text
