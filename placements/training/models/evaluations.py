"""Evaluations: the forms a programme uses (catalogue data), the supervisor's evaluations of a placement,
and the trainee's short evaluation of the placement itself."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from placements.allocation.models import Placement
from placements.catalogue.models import Programme
from placements.training.enums import EvaluationKind, EvaluationStatus, ItemKind


class EvaluationForm(models.Model):
    """What a supervisor answers at one moment of a programme's placements (mid-term or final)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="evaluation_forms", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    scale_labels = models.JSONField(
        _("scale"),
        default=list,
        help_text=_('The words of each score, lowest first, e.g. ["Insufficient", "Weak", "Sufficient", "Good", '
                    '"Excellent"] for a scale of 1 to 5.'),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind"]
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        constraints = [models.UniqueConstraint(fields=["programme", "kind"], name="evaluation_form_one_per_kind")]

    def __str__(self):
        return f"{self.title} ({self.programme})"

    def clean(self):
        labels = self.scale_labels
        if (
            not isinstance(labels, list)
            or not 2 <= len(labels) <= 10
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            raise ValidationError({"scale_labels": _("Give a list of 2 to 10 words, one per score, lowest first.")})

    @property
    def scale(self) -> list[tuple[int, str]]:
        """(score, words) from 1 up."""
        return list(enumerate(self.scale_labels if isinstance(self.scale_labels, list) else [], start=1))


class EvaluationItem(models.Model):
    """A criterion scored on the form's scale, or a question answered in words."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.SCALE)
    text = models.CharField(_("criterion or question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("criterion or question")
        verbose_name_plural = _("criteria and questions")

    def __str__(self):
        return self.text


class Evaluation(models.Model):
    """A supervisor's evaluation of one placement; locked once submitted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(max_length=10, choices=EvaluationKind.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT)
    answers = models.JSONField(default=dict, blank=True, help_text=_("Item id -> score or text."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    trainee_comment = models.TextField(_("the trainee's comment"), blank=True, max_length=3000)
    trainee_commented_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["placement", "kind"], name="evaluation_one_per_kind")]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.placement}"

    @property
    def is_submitted(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED


def _score():
    return [MinValueValidator(1), MaxValueValidator(5)]


class PlacementFeedback(models.Model):
    """The trainee's evaluation of the placement: the department sees only totals of several answers."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="feedback")
    overall = models.PositiveSmallIntegerField(_("the placement as a whole"), validators=_score())
    supervision = models.PositiveSmallIntegerField(_("supervision and guidance"), validators=_score())
    learning = models.PositiveSmallIntegerField(_("what you learned"), validators=_score())
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trainee's evaluation of a placement")
        verbose_name_plural = _("trainees' evaluations of placements")

    def __str__(self):
        return f"Feedback on {self.placement}"
