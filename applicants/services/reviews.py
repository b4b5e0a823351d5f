"""Reviews: a staff member scores an application on the programme's rubric, comments and recommends."""

from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean

from django.db import transaction
from django.utils.translation import gettext as _

from applicants import workflow
from applicants.enums import ApplicationStatus, EventKind, Recommendation
from applicants.errors import DomainError
from applicants.models import Application, Event, Review, ReviewScore, RubricCriterion
from placements.catalogue.translated import import_values

S = ApplicationStatus
# Reviewing informs a decision: from submission until the application is decided (waitlisted ones
# may still be accepted later, so they can be reviewed again).
REVIEWABLE_STATES = (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.WAITLISTED)
SCORE_RANGE = range(1, 6)
TWO_PLACES = Decimal("0.01")


def _mean(values) -> Decimal | None:
    values = [Decimal(value) for value in values if value is not None]
    if not values:
        return None
    return Decimal(str(fmean(values))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _summary(review: Review) -> str:
    """The internal timeline entry of a saved review."""
    values = {"reviewer": review.reviewer, "score": review.mean_score}
    if not review.recommendation:
        return _("Review by %(reviewer)s: mean %(score)s of 5") % values
    values["recommendation"] = str(Recommendation(review.recommendation).label).lower()
    return _("Review by %(reviewer)s: mean %(score)s of 5, recommends: %(recommendation)s") % values


def review_save(
    *,
    application: Application,
    reviewer,
    scores: dict[int, int],
    comment: str = "",
    recommendation: str = Recommendation.NONE,
) -> Review:
    """Create or update `reviewer`'s review with one score (1 to 5) per rubric criterion of the programme,
    then recompute the review's mean and the application's mean of means and review count."""
    with transaction.atomic():
        # The lock serialises reviewers saving at the same moment, so the application's mean of
        # means is computed from every review, never from a stale set.
        locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
        if workflow.role_of(reviewer, locked) not in workflow.STAFF:
            raise DomainError(_("Only the coordinators of this programme can review its applications."))
        if locked.status not in REVIEWABLE_STATES:
            raise DomainError(
                _("An application that is %(status)s cannot be reviewed.")
                % {"status": locked.get_status_display().lower()}
            )
        if recommendation not in Recommendation.values:
            raise DomainError(_("Choose one of the recommendations offered."))
        criteria = {criterion.pk: criterion for criterion in locked.programme.rubric.all()}
        if not criteria:
            raise DomainError(_("This programme has no review criteria yet; an administrator adds them."))
        scores = {int(key): value for key, value in scores.items()}
        missing = [criteria[pk].name for pk in criteria if pk not in scores]
        if missing:
            raise DomainError(_("Give a score for %(criteria)s.") % {"criteria": ", ".join(missing)})
        if set(scores) - set(criteria):
            raise DomainError(_("Score only the criteria of this programme."))
        for pk, score in scores.items():
            if score not in SCORE_RANGE:
                raise DomainError(
                    _("The score for %(criterion)s must be from 1 to 5.") % {"criterion": criteria[pk].name}
                )

        review, _created = Review.objects.update_or_create(
            application=locked,
            reviewer=reviewer,
            defaults={"comment": comment, "recommendation": recommendation, "mean_score": _mean(scores.values())},
        )
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=score) for pk, score in sorted(scores.items())
        )
        means = list(Review.objects.filter(application=locked).values_list("mean_score", flat=True))
        locked.review_score = _mean(means)
        locked.review_count = len(means)
        # Not updated_at: the applicant's dashboard shows that as the last change, and reviews are internal.
        locked.save(update_fields=["review_score", "review_count"])

        Event.objects.create(
            application=locked, actor=reviewer, kind=EventKind.NOTE, message=_summary(review), internal=True
        )
    application.review_score, application.review_count = locked.review_score, locked.review_count
    return review


def rubric_load(*, programme, criteria: list[dict]) -> list[RubricCriterion]:
    """Create or update `programme`'s rubric from rows with a name and an optional description, in
    their order (idempotent: matched on the English name, used by the demo loader); `name_nl` and
    `description_nl` give the Dutch ones."""
    loaded = []
    for order, row in enumerate(criteria):
        criterion, _created = RubricCriterion.objects.update_or_create(
            programme=programme,
            name_en=row["name"],
            defaults={
                "description_en": row.get("description", ""),
                **import_values(RubricCriterion, row, ["name", "description"]),
                "order": order,
            },
        )
        loaded.append(criterion)
    return loaded
