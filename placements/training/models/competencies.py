"""What a trainee learns in a specialization (catalogue data the admin edits), and which programmes keep
a logbook of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from placements.catalogue.models import Programme, Specialization
from placements.training.enums import ExpectedLevel


class ProgrammeTraining(models.Model):
    """How a programme follows its trainees during the placement."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="training", verbose_name=_("programme")
    )
    keeps_logbook = models.BooleanField(
        _("keeps a competency logbook"),
        default=False,
        help_text=_(
            "Trainees log their activities against the competencies of their specialization and receive a "
            "certificate of completion; otherwise they receive a certificate of attendance."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training settings of a programme")
        verbose_name_plural = _("training settings of programmes")

    def __str__(self):
        return str(self.programme)


class CompetencyGroup(models.Model):
    specialization = models.ForeignKey(
        Specialization, on_delete=models.CASCADE, related_name="competency_groups", verbose_name=_("specialization")
    )
    title = models.CharField(_("title"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["specialization", "order", "id"]
        verbose_name = _("competency group")
        verbose_name_plural = _("competency groups")
        constraints = [
            models.UniqueConstraint(fields=["specialization", "title"], name="competency_group_unique_title")
        ]

    def __str__(self):
        return f"{self.specialization}: {self.title}"


class Competency(models.Model):
    group = models.ForeignKey(
        CompetencyGroup, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    expected_level = models.CharField(
        _("expected level"), max_length=12, choices=ExpectedLevel.choices, default=ExpectedLevel.ASSISTED
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "group_id", "order", "id"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["group", "title"], name="competency_unique_title")]

    def __str__(self):
        return self.title
