import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, OrderBy, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applicants.enums import OPEN_STATES, ApplicationStatus, EnglishLevel, StudyPhase
from applicants.search import searchable


class ApplicantProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    nationality = models.CharField(_("nationality"), max_length=100)
    home_institution = models.CharField(_("home university or hospital"), max_length=200)
    study_phase = models.CharField(_("study phase or degree"), max_length=20, choices=StudyPhase.choices)
    degree = models.CharField(_("degree or programme"), max_length=200, blank=True)
    english_level = models.CharField(_("English proficiency"), max_length=10, choices=EnglishLevel.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self):
        return _("Profile of %(user)s") % {"user": self.user}


class SortIndex(models.Index):
    """An index in the order of a sort, NULLS FIRST/LAST included, for PostgreSQL to walk instead of
    sorting. SQLite (the embedded development database) refuses NULLS FIRST/LAST in an index, so
    there it gets the same index without them."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        _, expressions, options = self.deconstruct()
        plain = [OrderBy(e.expression, descending=e.descending) for e in expressions]
        return models.Index(*plain, **options).create_sql(model, schema_editor, using=using, **kwargs)


def _queue_sort_index(field: str, *, descending: bool, name: str) -> SortIndex:
    """The review queue's sort on `field` (empty values last), ties broken by the primary key in the
    same direction, over submitted applications, carrying the programme and status."""
    order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    tie = F("id").desc() if descending else F("id").asc()
    return SortIndex(
        order, tie, name=name, include=["programme", "status"], condition=~Q(status=ApplicationStatus.DRAFT)
    )


class Application(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("applicant")
    )
    programme = models.ForeignKey(
        "placements.Programme", on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("Eligibility answers by question id.")
    )
    completed_steps = models.JSONField(_("completed steps"), default=list, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_score = models.DecimalField(
        _("review score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Mean of the reviewers' mean scores."),
    )
    review_count = models.PositiveSmallIntegerField(_("review count"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # What the review queue's search matches (applicants.search); on PostgreSQL through a trigram
    # index that migration 0009 creates there only.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "programme"],
                condition=Q(status__in=OPEN_STATES),
                name="application_one_open_per_programme",
                violation_error_message=_("You already have an open application for this programme."),
            )
        ]
        indexes = [
            models.Index(fields=["programme", "status", "submitted_at"]),
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["programme", "status", "start_date"]),
            models.Index(fields=["programme", "status", "review_score"]),
            # The review queue's sorts, ties broken by the primary key as in the queue's ORDER BY.
            # PostgreSQL walks one in order (the programme and status from the index alone) and stops
            # after the page's rows, instead of sorting every application in the coordinator's scope.
            # Each direction has its own, since empty values come last in both.
            _queue_sort_index("submitted_at", descending=True, name="application_queue_submitted"),
            _queue_sort_index("submitted_at", descending=False, name="application_queue_submitted_up"),
            _queue_sort_index("start_date", descending=False, name="application_queue_start"),
            _queue_sort_index("start_date", descending=True, name="application_queue_start_down"),
            _queue_sort_index("review_score", descending=True, name="application_queue_score"),
            _queue_sort_index("review_score", descending=False, name="application_queue_score_up"),
            # The insights dashboard's figures over a period, each read from its index alone.
            models.Index(
                fields=["programme", "submitted_at"],
                include=["id", "status", "applicant", "decided_at"],
                condition=~Q(status=ApplicationStatus.DRAFT),
                name="application_insights_submitted",
            ),
            models.Index(
                fields=["programme", "created_at"],
                include=["id", "status", "submitted_at", "decided_at"],
                name="application_insights_created",
            ),
            models.Index(
                fields=["programme", "decided_at"],
                include=["submitted_at"],
                condition=Q(decided_at__isnull=False),
                name="application_insights_decided",
            ),
        ]

    def __str__(self):
        return self.reference or _("Draft for %(programme)s") % {"programme": self.programme}

    def save(self, *args, **kwargs):
        # The search text follows the reference (given at submission); the applicant's name and
        # address are followed by applicants.services.search_text.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "reference" in update_fields:
            self.search_text = self.searchable_text()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("applicants:application_detail", kwargs={"uuid": self.uuid})

    def searchable_text(self) -> str:
        """The search text of a submitted application (a draft has none: the queue never shows it)."""
        if not self.reference:
            return ""
        applicant = self.applicant
        return searchable(applicant.first_name, applicant.last_name, applicant.email, self.reference)

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


class ApplicationComponent(models.Model):
    """One part of the requested stay: an offering with a number of weeks and a preference rank."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="components", verbose_name=_("application")
    )
    offering = models.ForeignKey(
        "placements.Offering", on_delete=models.PROTECT, related_name="+", verbose_name=_("offering")
    )
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=1, help_text=_("1 is the most wanted."))

    class Meta:
        verbose_name = _("application component")
        verbose_name_plural = _("application components")
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "offering"], name="component_unique_offering"),
        ]

    def __str__(self):
        return ngettext("%(offering)s for %(count)s week", "%(offering)s for %(count)s weeks", self.weeks) % {
            "offering": self.offering,
            "count": self.weeks,
        }


class ReferenceCounter(models.Model):
    """The last reference number handed out per programme and year; locked while numbering."""

    programme = models.ForeignKey(
        "placements.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="reference_counter_unique")]

    def __str__(self):
        return f"{self.programme} {self.year}: {self.last_number}"
