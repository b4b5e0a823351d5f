from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applicants.enums import Recommendation


class RubricCriterion(models.Model):
    """One thing reviewers score from 1 to 5 for a programme's applications (edited in the admin)."""

    programme = models.ForeignKey(
        "placements.Programme", on_delete=models.CASCADE, related_name="rubric", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="rubric_criterion_unique")]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One reviewer's judgement of an application; several reviewers may review the same one."""

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer")
    )
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, default=Recommendation.NONE
    )
    mean_score = models.DecimalField(_("mean score"), max_digits=3, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer")]

    def __str__(self):
        return _("Review by %(reviewer)s of %(application)s") % {
            "reviewer": self.reviewer,
            "application": self.application,
        }


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class InternalNote(models.Model):
    """A note among staff about an application; never shown to the applicant."""

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="notes", verbose_name=_("application")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("author"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self):
        return _("Note on %(application)s (%(date)s)") % {
            "application": self.application,
            "date": f"{self.created_at:%Y-%m-%d}",
        }
