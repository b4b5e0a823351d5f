from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from applicants.enums import Recommendation


class RubricCriterion(models.Model):
    """One thing reviewers score from 1 to 5 for a programme's applications (edited in the admin)."""

    programme = models.ForeignKey("placements.Programme", on_delete=models.CASCADE, related_name="rubric")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="rubric_criterion_unique")]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One reviewer's judgement of an application; several reviewers may review the same one."""

    application = models.ForeignKey("applicants.Application", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    comment = models.TextField(blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, default=Recommendation.NONE)
    mean_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer")]

    def __str__(self):
        return f"Review by {self.reviewer} of {self.application}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class InternalNote(models.Model):
    """A note among staff about an application; never shown to the applicant."""

    application = models.ForeignKey("applicants.Application", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Note on {self.application} ({self.created_at:%Y-%m-%d})"
